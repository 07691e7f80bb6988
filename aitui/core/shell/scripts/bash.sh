# aitui shell integration for bash: OSC 133 marks around prompts and commands.
# Loaded with `bash --rcfile THIS -i`; it first loads the user's own ~/.bashrc.
if [ -z "$AITUI_SKIP_USER_RC" ] && [ -r "$HOME/.bashrc" ]; then
  . "$HOME/.bashrc"
fi
__aitui_precmd() {
  local __aitui_ec=$?
  printf '\033]133;D;%s\007\033]133;A\007' "$__aitui_ec"
  return $__aitui_ec
}
if [[ "$PROMPT_COMMAND" != *__aitui_precmd* ]]; then
  PROMPT_COMMAND="__aitui_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
PS1="${PS1:-\\s-\\v\\\$ }\[\033]133;B\007\]"
PS0=$'\033]133;C\007'"${PS0:-}"

# aitui shell integration for bash: OSC 133 marks around prompts and commands.
# Loaded with `bash --rcfile THIS -i`; it first loads the user's own ~/.bashrc.
# Every mark ends with the session's key, which output cannot know: aitui trusts no other mark.
# The key arrives in AITUI_MARK_KEY and is kept in an unexported variable: no program sees it.
__aitui_key="$AITUI_MARK_KEY"
__aitui_history="$AITUI_HISTORY"
unset AITUI_MARK_KEY AITUI_HISTORY
if [ -z "$AITUI_SKIP_USER_RC" ] && [ -r "$HOME/.bashrc" ]; then
  . "$HOME/.bashrc"
fi
# Lines typed with a leading space (every command execute sends) stay out of the history.
case ":${HISTCONTROL-}:" in
  *:ignorespace:* | *:ignoreboth:*) ;;
  *) HISTCONTROL="${HISTCONTROL:+$HISTCONTROL:}ignorespace" ;;
esac
# A private session keeps its history in memory: it neither reads nor writes a file.
if [ "$__aitui_history" = private ]; then
  unset HISTFILE
fi
__aitui_precmd() {
  local __aitui_ec=$?
  printf '\033]133;D;%s;%s\007\033]133;A;%s\007' "$__aitui_ec" "$__aitui_key" "$__aitui_key"
  return $__aitui_ec
}
if [[ "$PROMPT_COMMAND" != *__aitui_precmd* ]]; then
  PROMPT_COMMAND="__aitui_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
PS1="${PS1:-\\s-\\v\\\$ }\[\033]133;B;${__aitui_key}\007\]"
PS0=$'\033]133;C;'"${__aitui_key}"$'\007'"${PS0:-}"

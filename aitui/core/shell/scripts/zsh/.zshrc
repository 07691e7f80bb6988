# aitui shell integration for zsh: load the user's .zshrc, then add OSC 133 hooks.
__aitui_zdotdir="${AITUI_USER_ZDOTDIR:-$HOME}"
ZDOTDIR="$__aitui_zdotdir"
if [ -z "$AITUI_SKIP_USER_RC" ] && [ -r "$__aitui_zdotdir/.zshrc" ]; then
  . "$__aitui_zdotdir/.zshrc"
fi
__aitui_precmd() {
  local __aitui_ec=$?
  printf '\033]133;D;%s\007\033]133;A\007' "$__aitui_ec"
}
__aitui_preexec() { printf '\033]133;C\007'; }
autoload -Uz add-zsh-hook
add-zsh-hook precmd __aitui_precmd
add-zsh-hook preexec __aitui_preexec
PS1="${PS1}%{"$'\033]133;B\007'"%}"
# zsh draws PROMPT_SP's end-of-line mark and padding after a command and *before* precmd runs;
# a private mark ("O": output ends) right before it lets execute end the output there.
PROMPT_EOL_MARK="%{"$'\033]133;O\007'"%}${PROMPT_EOL_MARK-%B%S%#%s%b}"

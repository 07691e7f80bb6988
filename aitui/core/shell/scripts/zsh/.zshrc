# aitui shell integration for zsh: load the user's .zshrc, then add OSC 133 hooks.
# Every mark ends with the session's key (set in .zshenv, never exported): aitui trusts no other.
ZDOTDIR="$__aitui_zdotdir"
if [ -z "$AITUI_SKIP_USER_RC" ] && [ -r "$__aitui_zdotdir/.zshrc" ]; then
  . "$__aitui_zdotdir/.zshrc"
fi
# Lines typed with a leading space (every command execute sends) stay out of the history.
setopt HIST_IGNORE_SPACE
# A private session keeps its history in memory: it neither reads nor writes a file.
if [[ "$__aitui_history" == private ]]; then
  unset HISTFILE
fi
__aitui_precmd() {
  local __aitui_ec=$?
  printf '\033]133;D;%s;%s\007\033]133;A;%s\007' "$__aitui_ec" "$__aitui_key" "$__aitui_key"
}
__aitui_preexec() { printf '\033]133;C;%s\007' "$__aitui_key"; }
autoload -Uz add-zsh-hook
add-zsh-hook precmd __aitui_precmd
add-zsh-hook preexec __aitui_preexec
PS1="${PS1}%{"$'\033]133;B;'"${__aitui_key}"$'\007'"%}"
# zsh draws PROMPT_SP's end-of-line mark and padding after a command and *before* precmd runs;
# a private mark ("O": output ends) right before it lets execute end the output there.
PROMPT_EOL_MARK="%{"$'\033]133;O;'"${__aitui_key}"$'\007'"%}${PROMPT_EOL_MARK-%B%S%#%s%b}"

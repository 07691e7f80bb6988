# aitui shell integration for zsh: ZDOTDIR points here; load the user's .zshenv first.
# The session's mark key (see .zshrc) is taken out of the environment before anything runs.
__aitui_key="$AITUI_MARK_KEY"
__aitui_history="$AITUI_HISTORY"
unset AITUI_MARK_KEY AITUI_HISTORY
__aitui_zdotdir="${AITUI_USER_ZDOTDIR:-$HOME}"
unset AITUI_USER_ZDOTDIR
if [ -z "$AITUI_SKIP_USER_RC" ] && [ -r "$__aitui_zdotdir/.zshenv" ]; then
  ZDOTDIR="$__aitui_zdotdir" . "$__aitui_zdotdir/.zshenv"
fi

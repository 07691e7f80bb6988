# aitui shell integration for zsh: ZDOTDIR points here; load the user's .zshenv first.
__aitui_zdotdir="${AITUI_USER_ZDOTDIR:-$HOME}"
if [ -z "$AITUI_SKIP_USER_RC" ] && [ -r "$__aitui_zdotdir/.zshenv" ]; then
  ZDOTDIR="$__aitui_zdotdir" . "$__aitui_zdotdir/.zshenv"
fi

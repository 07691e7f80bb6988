# aitui shell integration for fish: OSC 133 marks from fish's own events.
# Every mark ends with the session's key, which output cannot know: aitui trusts no other mark.
# The key arrives in AITUI_MARK_KEY and is kept in an unexported variable: no program sees it.
set -g __aitui_key $AITUI_MARK_KEY
set -g __aitui_history $AITUI_HISTORY
set -e AITUI_MARK_KEY
set -e AITUI_HISTORY
# fish leaves lines typed with a leading space (every command execute sends) out of its history.
# A private session keeps its history in memory: an empty fish_history writes no file.
if test "$__aitui_history" = private
    set -g fish_history ''
end
function __aitui_preexec --on-event fish_preexec
    printf '\e]133;C;%s\a' $__aitui_key
end
function __aitui_postexec --on-event fish_postexec
    printf '\e]133;D;%s;%s\a' $status $__aitui_key
end
function __aitui_prompt --on-event fish_prompt
    printf '\e]133;A;%s\a' $__aitui_key
end
# B (the prompt is drawn, the line editor reads keys) at the end of the user's own prompt.
if functions -q fish_prompt
    functions --copy fish_prompt __aitui_user_prompt
else
    function __aitui_user_prompt
        printf '%s> ' (prompt_pwd)
    end
end
function fish_prompt
    __aitui_user_prompt
    printf '\e]133;B;%s\a' $__aitui_key
end
# fish keeps a line it rejected (a syntax error) in its editor, and the next line typed would
# follow it: execute clears it with this key, which no terminal sends, and the A mark after it
# says the editor is empty (every key typed before it has been read).
function __aitui_clear_line
    commandline -r ''
    printf '\e]133;A;%s\a' $__aitui_key
end
# A tab typed is completion: a command's own tabs are typed as this key, which inserts one.
for __aitui_mode in default insert
    bind -M $__aitui_mode \e\[9900~ __aitui_clear_line
    bind -M $__aitui_mode \e\[9901~ 'commandline -i \t'
end
set -e __aitui_mode

# aitui shell integration for fish: OSC 133 marks from fish's own events.
function __aitui_preexec --on-event fish_preexec
    printf '\e]133;C\a'
end
function __aitui_postexec --on-event fish_postexec
    printf '\e]133;D;%s\a' $status
end
function __aitui_prompt --on-event fish_prompt
    printf '\e]133;A\a'
end

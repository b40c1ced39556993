# bash completion for letts (installed as share/bash-completion/completions/letts).
# Completes the command words from `letts --help` and `letts CMD --help`, so
# it never disagrees with the binary; flags after the command words.
_letts() {
    local cur words_so_far cmds
    cur=${COMP_WORDS[COMP_CWORD]}
    words_so_far=()
    local w
    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        [[ $w == -* ]] && break
        words_so_far+=("$w")
    done
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(letts "${words_so_far[@]}" --help 2>/dev/null |
            grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
        return
    fi
    # The next word of every command path that starts with the words so far.
    cmds=$(letts --help 2>/dev/null | awk -v n="${#words_so_far[@]}" -v p="${words_so_far[*]}" '
        /^Commands:/ { on = 1; next }
        on && /^$/ { on = 0 }
        on { split($0, f, /  +/); k = split(f[2], parts, " ")
             prefix = ""; for (i = 1; i <= n && i <= k; i++) prefix = prefix (i > 1 ? " " : "") parts[i]
             if (prefix == p && k > n) print parts[n + 1] }' | sort -u)
    COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
}
complete -F _letts letts

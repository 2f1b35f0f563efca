#!/bin/bash

__crm_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__crm_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__crm_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__crm_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_crm() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    demo|units|users|whatsapp|send|messages|conversations|contacts|campaigns|webhook|serve|stats|doctor|db|qr|console|simulator|help)
        # Offer subcommand argument completions
        "_crm_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'demo units users whatsapp send messages conversations contacts campaigns webhook serve stats doctor db qr console simulator help' -- "${cur}"))
        ;;
    esac
}

_crm_demo() {
    repeating_flags=()
    non_repeating_flags=(--keep --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--pace --step-timeout)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--pace')
        return
        ;;
    '--step-timeout')
        return
        ;;
    esac
}

_crm_units() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|show|update|rename|delete)
        # Offer subcommand argument completions
        "_crm_units_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list show update rename delete' -- "${cur}"))
        ;;
    esac
}

_crm_units_create() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--slug --country-code --timezone --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--slug')
        return
        ;;
    '--country-code')
        return
        ;;
    '--timezone')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_units_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_units_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_units_update() {
    repeating_flags=()
    non_repeating_flags=(--default-opt-out-keywords --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--name --country-code --timezone --opt-out-keywords --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--name')
        return
        ;;
    '--country-code')
        return
        ;;
    '--timezone')
        return
        ;;
    '--opt-out-keywords')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_units_rename() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_units_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_users() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|show|set-role|set-password|disable|enable|delete)
        # Offer subcommand argument completions
        "_crm_users_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list show set-role set-password disable enable delete' -- "${cur}"))
        ;;
    esac
}

_crm_users_create() {
    repeating_flags=()
    non_repeating_flags=(--password-stdin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--email --role --unit --name --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--email')
        return
        ;;
    '--role')
        return
        ;;
    '--unit')
        return
        ;;
    '--name')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_users_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --role --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--role')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_users_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_users_set-role() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --database)
    __crm_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_users_set-password() {
    repeating_flags=()
    non_repeating_flags=(--password-stdin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_users_disable() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_users_enable() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_users_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_whatsapp() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    configure|connect|status|qrcode|disconnect)
        # Offer subcommand argument completions
        "_crm_whatsapp_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'configure connect status qrcode disconnect' -- "${cur}"))
        ;;
    esac
}

_crm_whatsapp_configure() {
    repeating_flags=()
    non_repeating_flags=(--token-stdin --force --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --provider --instance --phone-number-id --access-token --app-secret --verify-token --graph-version --instance-id --instance-token --client-token --base-url --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--provider')
        __crm_add_completions -W 'evolution'$'\n''meta'$'\n''zapi'
        return
        ;;
    '--instance')
        return
        ;;
    '--phone-number-id')
        return
        ;;
    '--access-token')
        return
        ;;
    '--app-secret')
        return
        ;;
    '--verify-token')
        return
        ;;
    '--graph-version')
        return
        ;;
    '--instance-id')
        return
        ;;
    '--instance-token')
        return
        ;;
    '--client-token')
        return
        ;;
    '--base-url')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_whatsapp_connect() {
    repeating_flags=()
    non_repeating_flags=(--wait --no-wait --reset --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --provider --timeout --png --base-url --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--provider')
        __crm_add_completions -W 'evolution'$'\n''meta'$'\n''zapi'
        return
        ;;
    '--timeout')
        return
        ;;
    '--png')
        return
        ;;
    '--base-url')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_whatsapp_status() {
    repeating_flags=()
    non_repeating_flags=(--watch --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_whatsapp_qrcode() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --png --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--png')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_whatsapp_disconnect() {
    repeating_flags=()
    non_repeating_flags=(--yes --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_send() {
    repeating_flags=()
    non_repeating_flags=(--force --queue --json --version -h --help)
    repeating_options=(--param)
    non_repeating_options=(--unit --to --text --text-file --template --language --client-message-id --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--to')
        return
        ;;
    '--text')
        return
        ;;
    '--text-file')
        return
        ;;
    '--template')
        return
        ;;
    '--language')
        return
        ;;
    '--param')
        return
        ;;
    '--client-message-id')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_messages() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|tail)
        # Offer subcommand argument completions
        "_crm_messages_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show tail' -- "${cur}"))
        ;;
    esac
}

_crm_messages_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --contact --direction --status --since --limit --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--contact')
        return
        ;;
    '--direction')
        __crm_add_completions -W 'in'$'\n''out'
        return
        ;;
    '--status')
        __crm_add_completions -W 'queued'$'\n''sent'$'\n''delivered'$'\n''read'$'\n''failed'$'\n''received'
        return
        ;;
    '--since')
        return
        ;;
    '--limit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_messages_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_messages_tail() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --contact --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--contact')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_conversations() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list)
        # Offer subcommand argument completions
        "_crm_conversations_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list' -- "${cur}"))
        ;;
    esac
}

_crm_conversations_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --limit --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--limit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_contacts() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|opt-out|opt-in)
        # Offer subcommand argument completions
        "_crm_contacts_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list opt-out opt-in' -- "${cur}"))
        ;;
    esac
}

_crm_contacts_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --limit --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--limit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_contacts_opt-out() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_contacts_opt-in() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_campaigns() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|dispatch|list|show|pause|resume|cancel|retry)
        # Offer subcommand argument completions
        "_crm_campaigns_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create dispatch list show pause resume cancel retry' -- "${cur}"))
        ;;
    esac
}

_crm_campaigns_create() {
    repeating_flags=()
    non_repeating_flags=(--strict --all-contacts --json --version -h --help)
    repeating_options=(--to)
    non_repeating_options=(--unit --name --text --text-file --recipients-csv --phone-column --rate --batch-size --batch-pause --jitter --window --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--name')
        return
        ;;
    '--text')
        return
        ;;
    '--text-file')
        return
        ;;
    '--to')
        return
        ;;
    '--recipients-csv')
        return
        ;;
    '--phone-column')
        return
        ;;
    '--rate')
        return
        ;;
    '--batch-size')
        return
        ;;
    '--batch-pause')
        return
        ;;
    '--jitter')
        return
        ;;
    '--window')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_dispatch() {
    repeating_flags=()
    non_repeating_flags=(--detach --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--concurrency --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--concurrency')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_list() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --limit --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--limit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_show() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_pause() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_resume() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_cancel() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_campaigns_retry() {
    repeating_flags=()
    non_repeating_flags=(--uncertain --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_webhook() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    serve|url|trigger|replay)
        # Offer subcommand argument completions
        "_crm_webhook_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'serve url trigger replay' -- "${cur}"))
        ;;
    esac
}

_crm_webhook_serve() {
    repeating_flags=()
    non_repeating_flags=(--no-worker --metrics-loopback-only --enable-api --version -h --help)
    repeating_options=()
    non_repeating_options=(--host --port --log-level --log-format --rate-limit-client --rate-limit-unit --db-pool-size --worker-concurrency --trusted-proxies --access-token-ttl --refresh-token-ttl --login-rate-limit --api-rate-limit --cors-origins --events-poll-interval --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--log-level')
        return
        ;;
    '--log-format')
        return
        ;;
    '--rate-limit-client')
        return
        ;;
    '--rate-limit-unit')
        return
        ;;
    '--db-pool-size')
        return
        ;;
    '--worker-concurrency')
        return
        ;;
    '--trusted-proxies')
        return
        ;;
    '--access-token-ttl')
        return
        ;;
    '--refresh-token-ttl')
        return
        ;;
    '--login-rate-limit')
        return
        ;;
    '--api-rate-limit')
        return
        ;;
    '--cors-origins')
        return
        ;;
    '--events-poll-interval')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_webhook_url() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --base-url --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--base-url')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_webhook_trigger() {
    repeating_flags=()
    non_repeating_flags=(--list --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --url --contact --id --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--url')
        return
        ;;
    '--contact')
        return
        ;;
    '--id')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_webhook_replay() {
    repeating_flags=()
    non_repeating_flags=(--failed --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--limit --database)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--limit')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_serve() {
    repeating_flags=()
    non_repeating_flags=(--no-worker --metrics-loopback-only --enable-api --version -h --help)
    repeating_options=()
    non_repeating_options=(--host --port --log-level --log-format --rate-limit-client --rate-limit-unit --db-pool-size --worker-concurrency --trusted-proxies --access-token-ttl --refresh-token-ttl --login-rate-limit --api-rate-limit --cors-origins --events-poll-interval --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--log-level')
        return
        ;;
    '--log-format')
        return
        ;;
    '--rate-limit-client')
        return
        ;;
    '--rate-limit-unit')
        return
        ;;
    '--db-pool-size')
        return
        ;;
    '--worker-concurrency')
        return
        ;;
    '--trusted-proxies')
        return
        ;;
    '--access-token-ttl')
        return
        ;;
    '--refresh-token-ttl')
        return
        ;;
    '--login-rate-limit')
        return
        ;;
    '--api-rate-limit')
        return
        ;;
    '--cors-origins')
        return
        ;;
    '--events-poll-interval')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_stats() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--unit --since --database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--unit')
        return
        ;;
    '--since')
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_crm_doctor() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_db() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    migrate|status)
        # Offer subcommand argument completions
        "_crm_db_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'migrate status' -- "${cur}"))
        ;;
    esac
}

_crm_db_migrate() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_db_status() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_qr() {
    repeating_flags=()
    non_repeating_flags=(--invert --version -h --help)
    repeating_options=()
    non_repeating_options=(--ecc --format -o --output --quiet-zone --scale)
    __crm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--ecc')
        return
        ;;
    '--format')
        __crm_add_completions -W 'terminal'$'\n''utf8'$'\n''png'$'\n''svg'
        return
        ;;
    '-o'|'--output')
        return
        ;;
    '--quiet-zone')
        return
        ;;
    '--scale')
        return
        ;;
    esac
}

_crm_console() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--database)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--database')
        return
        ;;
    esac
}

_crm_simulator() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    serve)
        # Offer subcommand argument completions
        "_crm_simulator_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'serve' -- "${cur}"))
        ;;
    esac
}

_crm_simulator_serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--host --port --api-key --auto-pair --qr-rotation --ack-delay)
    __crm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--api-key')
        return
        ;;
    '--auto-pair')
        return
        ;;
    '--qr-rotation')
        return
        ;;
    '--ack-delay')
        return
        ;;
    esac
}

_crm_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __crm_offer_flags_options -1
}

complete -o filenames -F _crm crm

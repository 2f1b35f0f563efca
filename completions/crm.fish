function __crm_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __crm_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __crm_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __crm_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __crm_parse_tokens -S
    set -l unparsed_tokens (__crm_tokens -pc)
    switch $unparsed_tokens[1]
    case 'crm'
        __crm_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'units'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __crm_parse_subcommand 1 'slug=' 'country-code=' 'timezone=' 'database=' 'json' 'version' 'h/help'
            case 'list'
                __crm_parse_subcommand 0 'database=' 'json' 'version' 'h/help'
            case 'show'
                __crm_parse_subcommand 1 'database=' 'json' 'version' 'h/help'
            case 'rename'
                __crm_parse_subcommand 2 'database=' 'json' 'version' 'h/help'
            case 'delete'
                __crm_parse_subcommand 1 'y/yes' 'database=' 'json' 'version' 'h/help'
            end
        case 'users'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __crm_parse_subcommand 0 'email=' 'role=' 'unit=' 'name=' 'password-stdin' 'database=' 'json' 'version' 'h/help'
            case 'list'
                __crm_parse_subcommand 0 'unit=' 'role=' 'database=' 'json' 'version' 'h/help'
            case 'show'
                __crm_parse_subcommand 1 'database=' 'json' 'version' 'h/help'
            case 'set-role'
                __crm_parse_subcommand 2 'unit=' 'database=' 'json' 'version' 'h/help'
            case 'set-password'
                __crm_parse_subcommand 1 'password-stdin' 'database=' 'json' 'version' 'h/help'
            case 'disable'
                __crm_parse_subcommand 1 'database=' 'json' 'version' 'h/help'
            case 'enable'
                __crm_parse_subcommand 1 'database=' 'json' 'version' 'h/help'
            case 'delete'
                __crm_parse_subcommand 1 'y/yes' 'database=' 'json' 'version' 'h/help'
            end
        case 'whatsapp'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'configure'
                __crm_parse_subcommand 0 'unit=' 'provider=' 'instance=' 'phone-number-id=' 'access-token=' 'app-secret=' 'verify-token=' 'graph-version=' 'instance-id=' 'instance-token=' 'client-token=' 'base-url=' 'token-stdin' 'force' 'database=' 'json' 'version' 'h/help'
            case 'connect'
                __crm_parse_subcommand 0 'unit=' 'provider=' 'wait' 'no-wait' 'timeout=' 'png=' 'reset' 'base-url=' 'database=' 'json' 'version' 'h/help'
            case 'status'
                __crm_parse_subcommand 0 'unit=' 'watch' 'database=' 'json' 'version' 'h/help'
            case 'qrcode'
                __crm_parse_subcommand 0 'unit=' 'png=' 'database=' 'json' 'version' 'h/help'
            case 'disconnect'
                __crm_parse_subcommand 0 'unit=' 'yes' 'database=' 'json' 'version' 'h/help'
            end
        case 'messages'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __crm_parse_subcommand 0 'unit=' 'contact=' 'direction=' 'status=' 'since=' 'limit=' 'database=' 'json' 'version' 'h/help'
            case 'show'
                __crm_parse_subcommand 1 'database=' 'json' 'version' 'h/help'
            case 'tail'
                __crm_parse_subcommand 0 'unit=' 'contact=' 'database=' 'json' 'version' 'h/help'
            end
        case 'conversations'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __crm_parse_subcommand 0 'unit=' 'limit=' 'database=' 'json' 'version' 'h/help'
            end
        case 'contacts'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __crm_parse_subcommand 0 'unit=' 'limit=' 'database=' 'json' 'version' 'h/help'
            end
        case 'webhook'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'serve'
                __crm_parse_subcommand 0 'host=' 'port=' 'log-level=' 'log-format=' 'rate-limit-client=' 'rate-limit-unit=' 'db-pool-size=' 'database=' 'version' 'h/help'
            case 'url'
                __crm_parse_subcommand 0 'unit=' 'base-url=' 'database=' 'json' 'version' 'h/help'
            case 'trigger'
                __crm_parse_subcommand 1 'list' 'unit=' 'url=' 'contact=' 'id=' 'database=' 'json' 'version' 'h/help'
            end
        case 'serve'
            __crm_parse_subcommand 0 'host=' 'port=' 'log-level=' 'log-format=' 'rate-limit-client=' 'rate-limit-unit=' 'db-pool-size=' 'database=' 'version' 'h/help'
        case 'db'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'migrate'
                __crm_parse_subcommand 0 'database=' 'json' 'version' 'h/help'
            case 'status'
                __crm_parse_subcommand 0 'database=' 'json' 'version' 'h/help'
            end
        case 'qr'
            __crm_parse_subcommand 1 'ecc=' 'format=' 'o/output=' 'quiet-zone=' 'invert' 'scale=' 'version' 'h/help'
        case 'simulator'
            __crm_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'serve'
                __crm_parse_subcommand 0 'host=' 'port=' 'api-key=' 'auto-pair=' 'qr-rotation=' 'ack-delay=' 'version' 'h/help'
            end
        case 'help'
            __crm_parse_subcommand -r 1 'version'
        end
    end
end

function __crm_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __crm_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __crm_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __crm_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__crm_tokens -p)
    if test -z "$(__crm_tokens -t)"
        set -l index (count (__crm_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'crm' -f
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'units' -d 'Create, list, rename and delete units (tenants).'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'users' -d 'Create and manage users: roles, units, passwords.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'whatsapp' -d 'Pair, watch and disconnect each unit\'s WhatsApp number.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'messages' -d 'List, show and follow a unit\'s WhatsApp messages.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'conversations' -d 'List a unit\'s conversations (one per contact).'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'contacts' -d 'List a unit\'s contacts.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'webhook' -d 'Receive the providers\' webhooks: run the listener, show a unit\'s webhook URL.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'serve' -d 'Run the webhook listener (the same as `crm webhook serve`).'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'db' -d 'Apply and inspect the database schema migrations.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'qr' -d 'Draw a QR code for a text, such as a WhatsApp pairing code.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'simulator' -d 'Run a WhatsApp provider simulator (an Evolution API-compatible server) for trying crm.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm units" -eq 1' -fa 'create' -d 'Create a unit.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm units" -eq 1' -fa 'list' -d 'List units.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm units" -eq 1' -fa 'show' -d 'Show a unit and how many users, contacts, messages and campaigns it has.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm units" -eq 1' -fa 'rename' -d 'Change a unit\'s display name (the slug stays, so scripts and URLs keep working).'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm units" -eq 1' -fa 'delete' -d 'Delete a unit with all its users, contacts, conversations, messages and campaigns.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" slug' -l 'slug' -d 'Short unique name used in commands and URLs (lowercase letters, digits, hyphens).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" country-code' -l 'country-code' -d 'Country calling code that completes local phone numbers (default 55).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" timezone' -l 'timezone' -d 'IANA time zone of the unit, for campaign windows (default America/Sao_Paulo).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units list" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units list" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units list" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units show" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units show" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units show" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units rename" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units rename" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units rename" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units rename" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units delete" y yes' -l 'yes' -s 'y' -d 'Delete without asking.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units delete" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units delete" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units delete" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm units delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'create' -d 'Create a user.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'list' -d 'List users, optionally of one unit or one role.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'show' -d 'Show a user.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'set-role' -d 'Change a user\'s role (and unit). Ends the user\'s sessions.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'set-password' -d 'Set a user\'s password. Ends the user\'s sessions.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'disable' -d 'Disable a user: it can no longer log in, and its sessions end.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'enable' -d 'Enable a disabled user.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm users" -eq 1' -fa 'delete' -d 'Delete a user.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" email' -l 'email' -d 'Login email (unique, case-insensitive).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" role' -l 'role' -d 'super_admin, unit_admin or agent.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" unit' -l 'unit' -d 'The unit\'s id or slug (unit_admin and agent).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" name' -l 'name' -d 'Display name.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" password-stdin' -l 'password-stdin' -d 'Read the password from stdin instead of asking for it.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users list" unit' -l 'unit' -d 'Only users of this unit (id or slug).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users list" role' -l 'role' -d 'Only users with this role.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users list" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users list" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users list" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users show" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users show" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users show" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-role" unit' -l 'unit' -d 'The unit\'s id or slug (unit_admin and agent).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-role" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-role" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-role" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-role" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-password" password-stdin' -l 'password-stdin' -d 'Read the password from stdin instead of asking for it.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-password" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-password" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-password" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users set-password" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users disable" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users disable" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users disable" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users disable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users enable" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users enable" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users enable" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users enable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users delete" y yes' -l 'yes' -s 'y' -d 'Delete without asking.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users delete" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users delete" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users delete" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm users delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm whatsapp" -eq 1' -fa 'configure' -d 'Choose a unit\'s WhatsApp provider and store its credentials, sealed.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm whatsapp" -eq 1' -fa 'connect' -d 'Pair a unit\'s WhatsApp number: show the QR code and wait until it is scanned.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm whatsapp" -eq 1' -fa 'status' -d 'Show a unit\'s WhatsApp connection: state, number, timestamps.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm whatsapp" -eq 1' -fa 'qrcode' -d 'Fetch a fresh QR code for a unit that waits for a scan, and show it once.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm whatsapp" -eq 1' -fa 'disconnect' -d 'Log a unit\'s WhatsApp number out and record the disconnection.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" provider' -l 'provider' -d 'evolution, meta or zapi.' -rfka 'evolution meta zapi'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" instance' -l 'instance' -d 'Evolution: the instance name (default crm-<unit slug>).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" phone-number-id' -l 'phone-number-id' -d 'Meta: the phone number id (digits).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" access-token' -l 'access-token' -d 'Meta: the access token (prefer --token-stdin).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" app-secret' -l 'app-secret' -d 'Meta: the app secret that signs webhooks.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" verify-token' -l 'verify-token' -d 'Meta: the verify token you will enter in the app\'s webhook settings.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" graph-version' -l 'graph-version' -d 'Meta: the Graph API version (e.g. v21.0).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" instance-id' -l 'instance-id' -d 'Z-API: the instance id.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" instance-token' -l 'instance-token' -d 'Z-API: the instance token (prefer --token-stdin).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" client-token' -l 'client-token' -d 'Z-API: the account\'s security token (Client-Token), when enabled.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" base-url' -l 'base-url' -d 'Meta or Z-API: another API base URL (for tests or a proxy).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" token-stdin' -l 'token-stdin' -d 'Read the main token (Meta access token, Z-API instance token) from stdin.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" force' -l 'force' -d 'Switch provider or instance even while the unit is connected.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp configure" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" provider' -l 'provider' -d 'evolution, meta or zapi; the configured one by default (evolution for a new unit).' -rfka 'evolution meta zapi'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" wait' -l 'wait' -d 'Wait until connected (default on a terminal), or show the QR once and exit.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" no-wait' -l 'no-wait' -d 'Wait until connected (default on a terminal), or show the QR once and exit.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" timeout' -l 'timeout' -d 'Seconds to wait for the scan (with --wait).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" png' -l 'png' -d 'Also write the QR code to this PNG file (rewritten when it rotates).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" reset' -l 'reset' -d 'Delete the provider\'s instance and create it again, with a new webhook secret.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" base-url' -l 'base-url' -d 'The public URL of `crm webhook serve` (default: BASE_URL).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp connect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp status" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp status" watch' -l 'watch' -d 'Refresh every 2 seconds until interrupted.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp status" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp status" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp status" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp qrcode" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp qrcode" png' -l 'png' -d 'Also write the QR code to this PNG file.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp qrcode" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp qrcode" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp qrcode" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp qrcode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp disconnect" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp disconnect" yes' -l 'yes' -d 'Do not ask for confirmation.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp disconnect" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp disconnect" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp disconnect" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm whatsapp disconnect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm messages" -eq 1' -fa 'list' -d 'List a unit\'s messages, newest first.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm messages" -eq 1' -fa 'show' -d 'Show one message: its contact, status history, provider ids and error.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm messages" -eq 1' -fa 'tail' -d 'Print a unit\'s latest messages, then each new one as it arrives, until interrupted.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" contact' -l 'contact' -d 'Only messages with this contact: the phone with its country code (+55 11 99876-5432 or 5511998765432).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" direction' -l 'direction' -d 'Only inbound (in) or outbound (out) messages.' -rfka 'in out'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" status' -l 'status' -d 'Only messages in this status: queued, sent, delivered, read, failed or received.' -rfka 'queued sent delivered read failed received'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" since' -l 'since' -d 'Only messages from this long ago until now: 90s, 30m, 2h, 7d, 2w.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" limit' -l 'limit' -d 'At most this many messages (1 to 1000).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages show" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages show" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages show" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages tail" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages tail" contact' -l 'contact' -d 'Only messages with this contact: the phone with its country code (+55 11 99876-5432 or 5511998765432).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages tail" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages tail" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages tail" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm messages tail" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm conversations" -eq 1' -fa 'list' -d 'List a unit\'s conversations, most recent activity first.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations list" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations list" limit' -l 'limit' -d 'At most this many conversations (1 to 1000).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations list" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations list" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations list" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm conversations list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm contacts" -eq 1' -fa 'list' -d 'List a unit\'s contacts, most recently updated first.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts list" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts list" limit' -l 'limit' -d 'At most this many contacts (1 to 1000).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts list" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts list" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts list" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm contacts list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm webhook" -eq 1' -fa 'serve' -d 'Run the webhook listener until SIGTERM or Ctrl-C.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm webhook" -eq 1' -fa 'url' -d 'Print the webhook URL of a unit (BASE_URL/webhooks/whatsapp/<provider>/<secret>).'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm webhook" -eq 1' -fa 'trigger' -d 'Post a sample provider webhook (signed where the provider signs) to the listener.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" host' -l 'host' -d 'The address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 for every interface).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" port' -l 'port' -d 'The port to listen on (default: PORT, else 3000; 0 picks a free one).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" log-level' -l 'log-level' -d 'Log level: trace, debug, info (default), notice, warning, error, critical.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" log-format' -l 'log-format' -d 'Log format: text (default) or json (one object per line).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" rate-limit-client' -l 'rate-limit-client' -d 'Webhook requests per second from one client address (bursts of twice as many).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" rate-limit-unit' -l 'rate-limit-unit' -d 'Webhook requests per second for one unit (bursts of twice as many).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" db-pool-size' -l 'db-pool-size' -d 'PostgreSQL connections the listener may open (default: CRM_DB_POOL_SIZE, else 10; unused on SQLite).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook url" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook url" base-url' -l 'base-url' -d 'The public URL of `crm webhook serve` (default: BASE_URL).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook url" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook url" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook url" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook url" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" list' -l 'list' -d 'List the events and exit.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" unit' -l 'unit' -d 'The unit\'s id or slug.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" url' -l 'url' -d 'The listener\'s base URL (default: BASE_URL).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" contact' -l 'contact' -d 'The contact\'s phone (digits with country code) in the sample.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" id' -l 'id' -d 'The message id the sample carries (receipts: the id of a message the unit sent).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm webhook trigger" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" host' -l 'host' -d 'The address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 for every interface).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" port' -l 'port' -d 'The port to listen on (default: PORT, else 3000; 0 picks a free one).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" log-level' -l 'log-level' -d 'Log level: trace, debug, info (default), notice, warning, error, critical.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" log-format' -l 'log-format' -d 'Log format: text (default) or json (one object per line).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" rate-limit-client' -l 'rate-limit-client' -d 'Webhook requests per second from one client address (bursts of twice as many).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" rate-limit-unit' -l 'rate-limit-unit' -d 'Webhook requests per second for one unit (bursts of twice as many).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" db-pool-size' -l 'db-pool-size' -d 'PostgreSQL connections the listener may open (default: CRM_DB_POOL_SIZE, else 10; unused on SQLite).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm db" -eq 1' -fa 'migrate' -d 'Apply pending migrations, each in its own transaction.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm db" -eq 1' -fa 'status' -d 'List applied and pending migrations, without changing anything.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db migrate" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db migrate" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db migrate" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db migrate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db status" database' -l 'database' -d 'Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db status" json' -l 'json' -d 'Print one JSON document on stdout (for scripts) instead of text.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db status" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm db status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" ecc' -l 'ecc' -d 'Error correction: L (7%), M (15%), Q (25%) or H (30%). In a terminal a lower level may be used to fit.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" format' -l 'format' -d 'Output: terminal (colours on a TTY), utf8 (plain text), png or svg.' -rfka 'terminal utf8 png svg'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" o output' -s 'o' -l 'output' -d 'Write to this file instead of standard output (required for png on a terminal).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" quiet-zone' -l 'quiet-zone' -d 'Light border in modules (default 4; at least 2 for terminal and utf8).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" invert' -l 'invert' -d 'Swap the drawn and blank modules of terminal and utf8 output (for light-background terminals in utf8).'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" scale' -l 'scale' -d 'Pixels per module for png and svg (default 8).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm qr" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_positional "crm simulator" -eq 1' -fa 'serve' -d 'Serve the provider simulator until interrupted.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" host' -l 'host' -d 'The address to listen on.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" port' -l 'port' -d 'The port to listen on (0 picks a free one, printed at start).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" api-key' -l 'api-key' -d 'The global API key clients must send (Evolution\'s AUTHENTICATION_API_KEY).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" auto-pair' -l 'auto-pair' -d 'Pair each new instance this many seconds after its first QR code, as if scanned.' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" qr-rotation' -l 'qr-rotation' -d 'Rotate unpaired instances\' QR codes every this many seconds (0: never).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" ack-delay' -l 'ack-delay' -d 'Milliseconds between a send and each of its receipts (sent, delivered, read).' -rfka ''
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" version' -l 'version' -d 'Show the version.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm simulator serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'crm' -n '__crm_should_offer_completions_for_flags_or_options "crm help" version' -l 'version' -d 'Show the version.'

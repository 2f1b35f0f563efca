// GNU readline for `crm console`. readline.h needs stdio.h first. The small functions below
// reach readline's global variables from Swift without naming them there: Swift 6 treats every
// imported C global as shared mutable state.
#ifndef CRM_CREADLINE_SHIM_H
#define CRM_CREADLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <readline/readline.h>
#include <readline/history.h>

/// Settings for the console: readline leaves signals to crm (Ctrl-C arrives as a signal crm
/// watches), words break at blanks only (e-mail addresses hold '@'), and `completion` answers Tab.
static inline void crm_rl_setup(rl_completion_func_t *completion) {
    static char breaks[] = " \t\n";
    rl_readline_name = "crm";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 1;
    rl_completer_word_break_characters = breaks;
    rl_attempted_completion_function = completion;
}

/// Called from the completion function: no fallback to file names when crm has no candidate.
static inline void crm_rl_completion_over(void) { rl_attempted_completion_over = 1; }

/// The line being edited (valid during a completion call).
static inline const char *crm_rl_line_buffer(void) { return rl_line_buffer; }

/// After Ctrl-C: forget the partial line and any key sequence or search in progress.
static inline void crm_rl_cancel_line(void) {
    rl_free_line_state();
    rl_callback_sigcleanup();
}

/// The newest history entry's text, or NULL.
static inline const char *crm_history_last(void) {
    HIST_ENTRY *entry = history_get(history_base + history_length - 1);
    return entry ? entry->line : NULL;
}

#endif

import ArgumentParser

/// `--database URL`, accepted by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Database URL: sqlite:///path.sqlite, sqlite:relative.sqlite or postgres://user:pass@host:5432/db.",
            discussion: "Default: $CRM_DATABASE_URL, else $DATABASE_URL, else $XDG_DATA_HOME/crm/crm.sqlite "
                + "(~/.local/share/crm/crm.sqlite).",
            valueName: "url"
        )
    )
    var database: String?
}

/// `--json`: one JSON document on stdout instead of text.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document on stdout (for scripts) instead of text.")
    var json = false

    var output: Output { Output(json: json) }
}

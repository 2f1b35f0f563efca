/// A plain table for people: a header row and aligned columns, no borders. Scripts use --json instead.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Longest a cell may be before it is cut with …; long names must not wreck the layout.
    var maxCellWidth = 48

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    func render(bold: Bool) -> String {
        let cut = rows.map { $0.map { TextWidth.truncate(sanitized($0), to: maxCellWidth) } }
        var widths = headers.map(TextWidth.columns)
        for row in cut {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], TextWidth.columns(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : TextWidth.pad(cell, to: widths[index])
            }.joined(separator: "  ")
        }
        let header = line(headers)
        var lines = [bold ? "\u{1B}[1m\(header)\u{1B}[0m" : header]
        lines += cut.map(line)
        return lines.joined(separator: "\n")
    }

    /// Control characters (a newline in a name) would break the rows; show them as spaces.
    private func sanitized(_ text: String) -> String {
        String(text.map { $0.unicodeScalars.first?.properties.generalCategory == .control ? " " : $0 })
    }
}

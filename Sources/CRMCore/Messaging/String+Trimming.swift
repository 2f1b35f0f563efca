import Foundation

extension String {
    /// `trimmingCharacters(in: set)` for a whitespace set (`.whitespaces`, `.whitespacesAndNewlines`: they hold
    /// no visible ASCII character), without its cost when there is nothing to trim: a text that starts and ends
    /// with a visible ASCII character is returned as it is, and the set is not even made. Foundation's trim goes
    /// through NSString on Linux, and was half the time of a 100,000-row recipients import (docs/performance.md).
    func trimming(_ whitespace: @autoclosure () -> CharacterSet) -> String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        return trimmingCharacters(in: whitespace())
    }
}

import Foundation

/// Replaces one randomly chosen value of a `JSONSerialization` tree by a value of another JSON
/// type, or removes it from its object or array. Nodes are numbered depth first, keys sorted.
enum JSONMutator {
    static func mutate(_ value: Any, using random: inout SeededRandom) -> Any {
        let target = Int.random(in: 0..<nodeCount(value), using: &random)
        var index = 0
        return rewrite(value, target: target, index: &index, random: &random) ?? NSNull()
    }

    private static func replacement(using random: inout SeededRandom) -> Any {
        let choices: [Any] = [
            NSNull(), true, 0, -1, 1e300, "", "x@lid", "5511999990001", [Any](), [String: Any](), ["nested": ["deeper": 1]],
        ]
        return choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    private static func nodeCount(_ value: Any) -> Int {
        if let object = value as? [String: Any] { return 1 + object.values.reduce(0) { $0 + nodeCount($1) } }
        if let array = value as? [Any] { return 1 + array.reduce(0) { $0 + nodeCount($1) } }
        return 1
    }

    /// The rewritten value, or `nil` to remove it from its parent.
    private static func rewrite(_ value: Any, target: Int, index: inout Int, random: inout SeededRandom) -> Any? {
        let current = index
        index += 1
        if current == target {
            return Bool.random(using: &random) ? nil : replacement(using: &random)
        }
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for key in object.keys.sorted() {
                if let child = object[key], let rewritten = rewrite(child, target: target, index: &index, random: &random) {
                    result[key] = rewritten
                }
            }
            return result
        }
        if let array = value as? [Any] {
            return array.compactMap { rewrite($0, target: target, index: &index, random: &random) }
        }
        return value
    }
}

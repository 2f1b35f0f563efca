/// A field that is documented as one object but that some versions send as an array of them
/// (Evolution's `data`): both decode, so that a version change does not turn into 400s and
/// lost messages.
struct OneOrMany<Element: Decodable>: Decodable {
    let items: [Element]

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [Element] = []
            while !array.isAtEnd {
                items.append(try array.decode(Element.self))
            }
            self.items = items
        } else {
            items = [try Element(from: decoder)]
        }
    }
}

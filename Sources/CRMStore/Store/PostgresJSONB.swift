import NIOCore
import PostgresNIO

/// A JSON document made as UTF-8 bytes, bound to a PostgreSQL statement as `jsonb` from those
/// bytes. Bound as a String it was first made a Swift String, which checks every byte of UTF-8
/// (a batch of 31 webhooks is ~35 KB): about 1 % of the listener's CPU. PostgreSQL parses the
/// document on receipt and refuses one that is not valid JSON or valid UTF-8, as it would the text.
struct PostgresJSONB: PostgresNonThrowingEncodable, Encodable, Sendable {
    let utf8: [UInt8]

    static var psqlType: PostgresDataType { .jsonb }
    static var psqlFormat: PostgresFormat { .binary }

    /// jsonb's binary form: a version byte (1), then the document's text.
    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(UInt8(1))
        buffer.writeBytes(utf8)
    }

    /// For a driver that does not take PostgreSQL's binary forms: the document as text.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: utf8, as: UTF8.self))
    }
}

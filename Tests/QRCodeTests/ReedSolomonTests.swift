@testable import QRCode
import Testing

extension QRCodeSuites {
@Suite("GF(256) and Reed–Solomon")
struct ReedSolomonTests {
    @Test("exp and log tables are inverse and follow x⁸+x⁴+x³+x²+1")
    func tables() {
        #expect(GF256.exp[0] == 1)
        #expect(GF256.exp[1] == 2)
        #expect(GF256.exp[7] == 128)
        #expect(GF256.exp[8] == 0x1D) // α⁸ = α⁴+α³+α²+1
        #expect(GF256.exp[255] == 1) // α has order 255
        #expect(Set(GF256.exp[0..<255]).count == 255) // a primitive element
        for value in 1...255 {
            #expect(GF256.exp[Int(GF256.log[value])] == UInt8(value))
        }
    }

    @Test("multiplication matches carry-less multiply mod 0x11D")
    func multiplication() {
        func slowMultiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            var product = 0
            for bit in 0..<8 where (Int(b) >> bit) & 1 == 1 { product ^= Int(a) << bit }
            for bit in stride(from: 15, through: 8, by: -1) where (product >> bit) & 1 == 1 {
                product ^= 0x11D << (bit - 8)
            }
            return UInt8(product)
        }
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<2000 {
            let a = UInt8.random(in: 0...255, using: &rng), b = UInt8.random(in: 0...255, using: &rng)
            #expect(GF256.multiply(a, b) == slowMultiply(a, b))
        }
    }

    @Test("generator polynomials match ISO 18004 Annex A")
    func generators() {
        let degree7 = ReedSolomon.generator(degree: 7).map { Int(GF256.log[Int($0)]) }
        #expect(degree7 == [0, 87, 229, 146, 149, 238, 102, 21])
        let degree10 = ReedSolomon.generator(degree: 10).map { Int(GF256.log[Int($0)]) }
        #expect(degree10 == [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45])
    }

    @Test("the ISO example: \"01234567\" at 1-M")
    func isoExample() throws {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11,
                             0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(of: data, degree: 10)
            == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        // The whole pipeline gives the same codewords.
        let segment = Segment(bytes: Array("01234567".utf8))
        #expect(segment.mode == .numeric)
        #expect(Codewords.make(segment: segment, version: 1, ecc: .medium)
            == data + [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("a codeword plus its ECC is a multiple of the generator")
    func syndromesVanish() {
        var rng = SeededGenerator(seed: 2)
        for degree in [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30] {
            let data = (0..<Int.random(in: 1...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let codeword = data + ReedSolomon.remainder(of: data, degree: degree)
            // Evaluate at each root αⁱ of g(x) by Horner's rule: all zero.
            for root in 0..<degree {
                var value: UInt8 = 0
                for coefficient in codeword { value = GF256.multiply(value, GF256.exp[root]) ^ coefficient }
                #expect(value == 0, "degree \(degree), root α^\(root)")
            }
        }
    }

    @Test("blocks are split and interleaved as in Table 9 (5-Q: 2×15 + 2×16 data codewords)")
    func interleaving() {
        // Data codewords 0, 1, 2, … make the order easy to read.
        let data = (0..<62).map { UInt8($0) }
        let result = Codewords.interleave(data: data, version: 5, ecc: .quartile)
        #expect(result.count == 134)
        // Blocks start at 0, 15, 30, 46; the 16th codeword exists only in
        // the last two blocks.
        #expect(Array(result[0..<8]) == [0, 15, 30, 46, 1, 16, 31, 47])
        #expect(Array(result[56..<62]) == [14, 29, 44, 60, 45, 61])
        // The ECC part starts with the first ECC codeword of each block.
        let firstBlockECC = ReedSolomon.remainder(of: Array(data[0..<15]), degree: 18)
        #expect(result[62] == firstBlockECC[0])
        #expect(result[62 + 4] == firstBlockECC[1])
    }
}
}

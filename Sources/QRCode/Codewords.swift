/// Turns a segment into the final codeword sequence of a symbol: data
/// codewords with terminator and padding (ISO §7.4.9–7.4.10), split into
/// blocks, each block's Reed–Solomon codewords, and the interleaving of
/// §7.6.
enum Codewords {
    static func make(segment: Segment, version: Int, ecc: ErrorCorrection) -> [UInt8] {
        let dataCount = VersionTable.dataCodewords(version: version, ecc: ecc)
        var buffer = BitBuffer(capacityInBytes: dataCount)
        segment.append(to: &buffer, version: version)
        let capacityBits = dataCount * 8
        precondition(buffer.count <= capacityBits, "segment does not fit the version")
        // Terminator: up to four zero bits, fewer if the symbol is full.
        buffer.append(0, bits: min(4, capacityBits - buffer.count))
        buffer.padToByte()
        var data = buffer.bytes
        // Fill the rest with the pad codewords 11101100 and 00010001 in turn.
        var pad: UInt8 = 0xEC
        while data.count < dataCount {
            data.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return interleave(data: data, version: version, ecc: ecc)
    }

    /// Splits `data` into the blocks of Table 9 (the first blocks are one
    /// codeword shorter when the division is not even), computes each
    /// block's ECC, then emits codeword i of every block in turn, data first
    /// and ECC after.
    static func interleave(data: [UInt8], version: Int, ecc: ErrorCorrection) -> [UInt8] {
        let row = VersionTable.row(version)
        let (eccPerBlock, blocks) = row.ecc[ecc.rawValue]
        let shortLength = data.count / blocks
        let shortBlocks = blocks - data.count % blocks
        func start(_ block: Int) -> Int { block * shortLength + max(0, block - shortBlocks) }
        func length(_ block: Int) -> Int { shortLength + (block < shortBlocks ? 0 : 1) }

        var eccCodewords = [UInt8](repeating: 0, count: blocks * eccPerBlock)
        data.withUnsafeBufferPointer { dataBuffer in
            eccCodewords.withUnsafeMutableBufferPointer { eccBuffer in
                for block in 0..<blocks {
                    let blockData = UnsafeBufferPointer(rebasing: dataBuffer[start(block)..<start(block) + length(block)])
                    let blockECC = UnsafeMutableBufferPointer(
                        rebasing: eccBuffer[block * eccPerBlock..<(block + 1) * eccPerBlock])
                    ReedSolomon.remainder(of: blockData, into: blockECC)
                }
            }
        }

        var result = [UInt8]()
        result.reserveCapacity(row.total)
        for index in 0...shortLength {
            for block in 0..<blocks where index < length(block) {
                result.append(data[start(block) + index])
            }
        }
        for index in 0..<eccPerBlock {
            for block in 0..<blocks {
                result.append(eccCodewords[block * eccPerBlock + index])
            }
        }
        assert(result.count == row.total)
        return result
    }
}

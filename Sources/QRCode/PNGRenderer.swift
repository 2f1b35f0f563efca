extension QRCode {
    /// The code as a 1-bit grayscale PNG file: `scale` pixels per module
    /// and a light border of `quietZone` modules (ISO asks for 4).
    public func png(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        precondition(scale >= 1 && quietZone >= 0, "scale must be ≥ 1 and quiet zone ≥ 0")
        let width = size + 2 * quietZone
        return encodePNG(width: width, height: width, scale: scale) { x, y in
            isDark(quietZone: quietZone, x: x, y: y)
        }
    }

    /// Whether module (x, y) of the bordered symbol is dark; the border is light.
    func isDark(quietZone: Int, x: Int, y: Int) -> Bool {
        let sx = x - quietZone, sy = y - quietZone
        return sx >= 0 && sx < size && sy >= 0 && sy < size && modules[sy * size + sx] != 0
    }
}

/// A 1-bit grayscale PNG of a `width` × `height` grid of modules, each
/// `scale` × `scale` pixels, black where `isDark`.
func encodePNG(width: Int, height: Int, scale: Int, isDark: (_ x: Int, _ y: Int) -> Bool) -> [UInt8] {
    let pixelsWide = width * scale, pixelsHigh = height * scale
    let stride = (pixelsWide + 7) / 8 + 1 // a filter-type byte opens every scanline

    // Scanlines: filter 0 (None), then 8 pixels per byte, high bit first,
    // 1 = white. Each module row becomes `scale` equal scanlines.
    var raw = [UInt8](repeating: 0, count: stride * pixelsHigh)
    var line = [UInt8](repeating: 0, count: stride)
    for moduleY in 0..<height {
        for index in 1..<stride { line[index] = 0 }
        for pixelX in 0..<pixelsWide where !isDark(pixelX / scale, moduleY) {
            line[1 + pixelX / 8] |= 0x80 >> UInt8(pixelX % 8)
        }
        for repeatY in 0..<scale {
            let offset = (moduleY * scale + repeatY) * stride
            raw.replaceSubrange(offset..<offset + stride, with: line)
        }
    }

    var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] // signature
    var header = bigEndian(UInt32(pixelsWide)) + bigEndian(UInt32(pixelsHigh))
    header += [1, 0, 0, 0, 0] // bit depth 1, grayscale, deflate, filter set 0, no interlace
    appendChunk("IHDR", header, to: &file)
    appendChunk("IDAT", Deflate.zlib(raw, rowLength: stride), to: &file)
    appendChunk("IEND", [], to: &file)
    return file
}

/// Length, type, data, and CRC-32 over type and data (PNG §5.3).
private func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
    let typeBytes = Array(type.utf8)
    file += bigEndian(UInt32(data.count))
    file += typeBytes
    file += data
    file += bigEndian(Checksum.crc32(data, initial: Checksum.crc32(typeBytes)))
}

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
}

extension QRCode {
    /// The code as an SVG document: a white square including the quiet zone
    /// and one black path made of a rectangle per horizontal run of dark
    /// modules. Coordinates are in modules; `scale` sets the default size in
    /// pixels per module.
    public func svg(scale: Int = 8, quietZone: Int = 4) -> String {
        precondition(scale >= 1 && quietZone >= 0, "scale must be ≥ 1 and quiet zone ≥ 0")
        let width = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else { x += 1; continue }
                let runStart = x
                while x < size && self[x, y] { x += 1 }
                let run = x - runStart
                path += "M\(runStart + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width * scale)" height="\(width * scale)" \
            viewBox="0 0 \(width) \(width)" shape-rendering="crispEdges">
            <rect width="\(width)" height="\(width)" fill="#fff"/>
            <path fill="#000" d="\(path)"/>
            </svg>

            """
    }
}

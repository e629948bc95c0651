extension String {
    /// Python's `str.lower()`, which kfp's name rules start with. For ASCII text it is a byte
    /// map, which spares a compile loading the Unicode case tables.
    package var pythonLowercased: String {
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return lowercased() }
        return String(decoding: utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

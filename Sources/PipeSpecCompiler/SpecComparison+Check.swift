// `compile --check`: the committed output against what the pipeline compiles to now.
extension SpecComparison {
    public enum CheckOutcome {
        /// Byte for byte the same.
        case upToDate
        /// Different; empty when only spelling differs (key order, names, numbering).
        case stale([Difference])
        /// Not there, or not readable.
        case unreadable(String)
    }

    public static func check(_ current: [UInt8], against path: String) -> CheckOutcome {
        switch FileSystem.read(path) {
        case .failure(let failure): return .unreadable(failure.description)
        case .success(let committed):
            return committed == current ? .upToDate : .stale(differences(committed: committed, current: current, file: path))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics

/// IANA time zone names, checked against the machine's tz database (`/usr/share/zoneinfo`).
public struct TimeZones: Sendable {
    public let directory: String

    public init(directory: String = "/usr/share/zoneinfo") {
        self.directory = directory
    }

    public enum Verdict: Equatable, Sendable {
        case known, unknown
        /// The machine has no tz database to check against.
        case uncheckable
    }

    public func check(_ name: String) -> Verdict {
        if name == "UTC" { return .known }
        guard isDirectory(directory) else { return .uncheckable }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        // A zone name is Area/Location: letters, digits, '_', '-', '+'; never '.' or '..'.
        let wellFormed = !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.first != "." && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-+".contains($0)) }
        }
        guard wellFormed else { return .unknown }
        return isZoneFile(directory + "/" + name) ? .known : .unknown
    }

    /// The zone name closest to `name` among the zones of its area (`America/…`), or among
    /// the areas when the area itself is misspelled.
    public func closest(to name: String) -> String? {
        let slash = name.firstIndex(of: "/")
        let area = slash.map { String(name[..<$0]) } ?? ""
        var candidates: [String] = []
        if !area.isEmpty, isDirectory(directory + "/" + area) {
            candidates = entries(of: directory + "/" + area).map { "\(area)/\($0)" }
        } else {
            let location = slash.map { String(name[name.index(after: $0)...]) } ?? name
            for entry in entries(of: directory) where isDirectory(directory + "/" + entry) && entry.first?.isUppercase == true {
                candidates.append("\(entry)/\(location)")
            }
            candidates += entries(of: directory)
        }
        guard let match = Suggestions.closest(to: name, in: candidates), check(match) == .known else { return nil }
        return match
    }

    private func entries(of path: String) -> [String] {
        guard let stream = opendir(path) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }

    /// Zone files start with the magic `TZif`; the directory also holds tables and scripts.
    private func isZoneFile(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4) }
        return count == 4 && magic == Array("TZif".utf8)
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

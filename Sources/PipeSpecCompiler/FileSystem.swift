#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File access for the driver: whole-file reads, and writes that never leave a partial
/// file behind (write a temporary file beside the target, flush it, rename it over).
public enum FileSystem {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ path: String) -> Result<[UInt8], Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(failure("cannot read '\(path)'")) }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Failure(description: "cannot read '\(path)': it is a directory"))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(Int(info.st_size), 0) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(failure("cannot read '\(path)'"))
            }
            if count == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Replaces `path` with `bytes` atomically.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) -> Result<Void, Failure> {
        let directoryEnd = path.lastIndex(of: "/")
        let name = directoryEnd.map { String(path[path.index(after: $0)...]) } ?? path
        let directory = directoryEnd.map { String(path[...$0]) } ?? ""
        let temporary = "\(directory).\(name).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .failure(failure("cannot write '\(path)'")) }
        var result = writeAll(bytes, to: descriptor, path: path)
        if case .success = result, fsync(descriptor) != 0 { result = .failure(failure("cannot write '\(path)'")) }
        close(descriptor)
        if case .success = result, rename(temporary, path) != 0 { result = .failure(failure("cannot write '\(path)'")) }
        if case .failure = result { unlink(temporary) }
        return result
    }

    public static func writeToStandardOutput(_ bytes: [UInt8]) -> Result<Void, Failure> {
        writeAll(bytes, to: STDOUT_FILENO, path: "standard output")
    }

    public static func writeToStandardError(_ text: String) {
        _ = writeAll(Array(text.utf8), to: STDERR_FILENO, path: "standard error")
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) -> Result<Void, Failure> {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(failure("cannot write '\(path)'"))
            }
            offset += written
        }
        return .success(())
    }

    private static func failure(_ message: String) -> Failure {
        Failure(description: "\(message): \(String(cString: strerror(errno)))")
    }
}

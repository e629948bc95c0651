#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// File access for the driver: whole-file reads, and writes that never leave a partial
/// file behind (write a temporary file beside the target, flush it, rename it over).
public enum FileSystem {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The most any input may hold: far beyond any real pipeline, and a bound on memory for
    /// inputs that never end.
    public static let maximumInputSize = 64 << 20

    /// The name standard input goes by in messages.
    public static let standardInputName = "<stdin>"

    /// Standard input as first read: it can be read only once, and diagnostics quote it later.
    private static let standardInput = Mutex<Result<[UInt8], Failure>?>(nil)

    /// Reads a whole regular file, or standard input for `-` (the same bytes however often it
    /// is asked for). Anything else (a directory, `/dev/zero`, a pipe named by path) and
    /// anything larger than `maximumInputSize` is refused rather than read without end.
    public static func read(_ path: String, limit: Int = maximumInputSize) -> Result<[UInt8], Failure> {
        if path == "-" {
            return standardInput.withLock { contents in
                if contents == nil { contents = readAll(from: STDIN_FILENO, name: standardInputName, limit: limit) }
                return contents!
            }
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(failure("cannot read '\(path)'")) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(failure("cannot read '\(path)'")) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(Failure(description: "cannot read '\(path)': it is a directory"))
        default: return .failure(Failure(description: "cannot read '\(path)': not a regular file (use - for standard input)"))
        }
        guard Int(info.st_size) <= limit else { return .failure(tooLarge(path, limit: limit)) }
        _ = fcntl(descriptor, F_SETFL, 0)  // blocking reads from here on
        return readAll(from: descriptor, name: path, limit: limit, expectedSize: Int(info.st_size))
    }

    private static func readAll(from descriptor: Int32, name: String, limit: Int, expectedSize: Int = 0) -> Result<[UInt8], Failure> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(expectedSize + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(failure("cannot read '\(name)'"))
            }
            if count == 0 { return .success(bytes) }
            guard bytes.count + count <= limit else { return .failure(tooLarge(name, limit: limit)) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func tooLarge(_ name: String, limit: Int) -> Failure {
        Failure(description: "cannot read '\(name)': larger than \(limit >> 20) MiB")
    }

    /// Replaces the regular file at `path` with `bytes` atomically, keeping its permissions;
    /// a symbolic link keeps pointing where it did, at the new contents. Anything else that
    /// exists there (`/dev/null`, a pipe) is written to as it is, never replaced.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) -> Result<Void, Failure> {
        var target = path
        if let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        var existing = stat()
        let exists = stat(target, &existing) == 0
        if exists, (existing.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Failure(description: "cannot write '\(path)': it is a directory"))
        }
        if exists, (existing.st_mode & S_IFMT) != S_IFREG {
            let descriptor = open(target, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return .failure(failure("cannot write '\(path)'")) }
            defer { close(descriptor) }
            return writeAll(bytes, to: descriptor, path: path)
        }
        let directoryEnd = target.lastIndex(of: "/")
        let name = directoryEnd.map { String(target[target.index(after: $0)...]) } ?? target
        let directory = directoryEnd.map { String(target[...$0]) } ?? ""
        let temporary = "\(directory).\(name).\(getpid()).tmp"
        unlink(temporary)  // left by a run that died; never followed if it is a link
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return .failure(failure("cannot write '\(path)'")) }
        var result = writeAll(bytes, to: descriptor, path: path)
        if case .success = result, exists, fchmod(descriptor, existing.st_mode & 0o7777) != 0 { result = .failure(failure("cannot write '\(path)'")) }
        if case .success = result, fsync(descriptor) != 0 { result = .failure(failure("cannot write '\(path)'")) }
        close(descriptor)
        if case .success = result, rename(temporary, target) != 0 { result = .failure(failure("cannot write '\(path)'")) }
        if case .failure = result { unlink(temporary) }
        return result
    }

    /// Makes the directory `path` and those above it that are missing (`mkdir -p`).
    public static func createDirectories(_ path: String) -> Result<Void, Failure> {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o777) != 0, errno != EEXIST { return .failure(failure("cannot create '\(prefix)'")) }
        }
        return .success(())
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
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

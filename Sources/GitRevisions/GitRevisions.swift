import CGitShim

#if canImport(Glibc)
import Glibc
#endif

/// Files as a git revision holds them, for `pipespec diff REV:PATH …`: read from the
/// repository around the current directory with libgit2, loaded on first use.
public enum GitRevisions {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Where the current directory is in its repository: `""` at the top, else `dir/sub/`.
    public static func currentPrefix() -> Result<String, Failure> {
        var error = [CChar](repeating: 0, count: 512)
        guard let workdir = pipespec_git_workdir(".", &error, error.count) else { return .failure(failure(error)) }
        defer { free(workdir) }
        guard let here = realpath(".", nil) else { return .failure(Failure(description: "cannot find the current directory")) }
        defer { free(here) }
        let root = String(cString: workdir), current = String(cString: here) + "/"
        return .success(current.hasPrefix(root) ? String(current.dropFirst(root.count)) : "")
    }

    /// The bytes of the file at `path` (from the repository's top) in `revision`.
    public static func read(_ path: String, at revision: String) -> Result<[UInt8], Failure> {
        var error = [CChar](repeating: 0, count: 512)
        var data: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard pipespec_git_read_blob(".", "\(revision):\(path)", &data, &size, &error, error.count) == 0, let data else {
            return .failure(failure(error))
        }
        defer { free(data) }
        return .success(Array(UnsafeBufferPointer(start: data, count: size)))
    }

    private static func failure(_ error: [CChar]) -> Failure {
        Failure(description: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}

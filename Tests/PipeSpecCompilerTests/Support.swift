import Foundation

/// Paths and process helpers shared by the driver and CLI tests.
enum Repository {
    /// The package root, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// Files under a directory of the repository with the given extension, sorted.
    static func files(in directory: String, withExtension fileExtension: String) -> [String] {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path(directory))) ?? []
        return contents.filter { $0.hasSuffix("." + fileExtension) }.sorted().map { directory + "/" + $0 }
    }
}

struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// Whether the process ended by a signal (a crash) rather than by exiting.
    var crashed: Bool
}

enum PipeSpecBinary {
    /// The `pipespec` executable built next to the test bundle.
    static let url: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("pipespec").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("pipespec")
    }()

    /// Runs `pipespec` with `arguments` from the repository root, or from `directory`.
    static func run(_ arguments: [String], standardInput: String? = nil, in directory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? Repository.root
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let input = Pipe()
        process.standardInput = standardInput == nil ? FileHandle.nullDevice : input
        try process.run()
        if let standardInput {
            input.fileHandleForWriting.write(Data(standardInput.utf8))
            try input.fileHandleForWriting.close()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self),
            crashed: process.terminationReason == .uncaughtSignal)
    }
}

/// A directory under the system's temporary directory, removed when the test is done.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pipespec-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

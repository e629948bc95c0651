// A libFuzzer target over the compiler's front end: bytes → YAML → schema → decode → lower →
// emit, then the diagnostics rendered as text (with excerpts of the input) and as SARIF.
// Built for fuzzing by scripts/fuzz (coverage and address sanitizer everywhere, libFuzzer
// linked here); built plainly, it runs the same body over the files it is given, to replay a
// finding.

#if canImport(Glibc)
import Glibc
#endif
import Diagnostics
import PipeSpecCompiler

enum FrontEndFuzzer {
    /// Compiles `bytes` as a pipeline file; the Python and component files it names are never
    /// read, so that a run depends on its input alone.
    static func run(_ bytes: [UInt8]) {
        let diagnostics = DiagnosticEngine(errorLimit: 50)
        let compiler = Compiler(readFile: { _ in throw Unreadable() })
        if case .compiled(let pipeline) = compiler.compile(bytes, file: "fuzz.yaml", diagnostics: diagnostics) {
            _ = pipeline.specBytes()
        }
        for format in [DiagnosticsFormatter.Format.text, .sarif] {
            _ = DiagnosticsFormatter(format: format, colors: true) { $0 == "fuzz.yaml" ? bytes : nil }
                .render(diagnostics.sorted, omitted: diagnostics.omittedErrors)
        }
    }

    struct Unreadable: Error {}
}

/// libFuzzer's driver, for a target that keeps its own `main` (SwiftPM renames every
/// executable's entry point, so libFuzzer's `main` cannot be used).
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    FrontEndFuzzer.run(data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif

@main
enum FuzzerMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        for path in CommandLine.arguments.dropFirst() {
            switch FileSystem.read(path) {
            case .success(let bytes): FrontEndFuzzer.run(bytes)
            case .failure(let failure):
                FileSystem.writeToStandardError("pipespec-fuzz: \(failure)\n")
                exit(2)
            }
        }
        #endif
    }
}

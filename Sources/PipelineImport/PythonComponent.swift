import JSON
import PipelineConfig
import PipelineIR
import PipelineSpecEmitter

/// A Python function component recovered from its executor: the embedded source, the
/// packages and index options from the install script, the image. Only one that pipespec
/// would embed byte for byte the same is recovered.
struct PythonComponent {
    let function: String
    /// The file to write: the helpers, then the function, as kfp embedded them.
    let source: String
    let helpers: [String]
    let baseImage: String?
    let packages: [String]
    let pip: PipOptions

    /// What kfp writes before the function's source.
    private static let header = "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *"

    init?(container: JSONObject) {
        guard case .array(let argumentValues)? = container["args"], case .array(let commandValues)? = container["command"],
              let image = container["image"]?.stringValue
        else { return nil }
        let arguments = argumentValues.compactMap(\.stringValue), command = commandValues.compactMap(\.stringValue)
        guard arguments.count == 4, arguments[0] == "--executor_input", arguments[1] == "{{$}}", arguments[2] == "--function_to_execute",
              let program = command.last, program.hasPrefix(Self.header + "\n\n"), program.hasSuffix("\n")
        else { return nil }
        // A Python identifier, which also names the source's file.
        guard let first = arguments[3].first, first.isLetter || first == "_",
              arguments[3].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return nil }
        function = arguments[3]
        let text = String(program.dropFirst(Self.header.count + 2).dropLast())
        // Top-level functions, helpers first, each joined to the next by a blank line.
        let blocks = text.split(separator: "\n\ndef ", omittingEmptySubsequences: false).enumerated().map { index, block in
            index == 0 ? String(block) : "def " + block
        }
        guard let main = blocks.last, main.hasPrefix("def \(function)("), blocks.allSatisfy({ $0.hasPrefix("def ") }) else { return nil }
        helpers = blocks.dropLast().compactMap { block in
            block.dropFirst(4).split(separator: "(", maxSplits: 1).first.map(String.init)
        }
        source = text + "\n"
        baseImage = image == PythonExecutor.defaultBaseImage ? nil : image
        (packages, pip) = Self.installs(command.count > 4 && command[0] == "sh" && command[1] == "-c" ? command[2] : "")
        // Kept only if pipespec writes exactly this executor again.
        let executor = PythonFunctionExecutor(
            function: PythonFunction(name: function, source: main, line: 1, parameters: []), baseImage: baseImage,
            packages: packages, pip: pip,
            helpers: zip(helpers, blocks.dropLast()).map { PythonFunction(name: $0, source: $1, line: 1, parameters: []) })
        guard PythonExecutor.container(executor) == container else { return nil }
    }

    /// The packages and pip options of the first install in kfp's script (the second, when
    /// there are two, installs the KFP SDK).
    private static func installs(_ script: String) -> ([String], PipOptions) {
        guard let install = script.firstRange(of: "python3 -m pip install --quiet --no-warn-script-location ") else { return ([], PipOptions()) }
        var rest = Substring(script[install.upperBound...])
        var indexes: [String] = [], trusted: [String] = []
        while let option = ["--index-url ", "--extra-index-url ", "--trusted-host "].first(where: { rest.hasPrefix($0) }) {
            rest = rest.dropFirst(option.count)
            let value = rest.prefix { $0 != " " }
            rest = rest.dropFirst(value.count + 1)
            if option == "--trusted-host " { trusted.append(String(value)) } else { indexes.append(String(value)) }
        }
        var packages: [String] = []
        while let quote = rest.first, quote == "'" || quote == "\"" {
            var value = "", index = rest.index(after: rest.startIndex)
            while index < rest.endIndex, rest[index] != quote {
                if rest[index] == "\\", rest.index(after: index) < rest.endIndex { index = rest.index(after: index) }
                value.append(rest[index])
                index = rest.index(after: index)
            }
            packages.append(value)
            rest = rest[(index < rest.endIndex ? rest.index(after: index) : index)...].drop { $0 == " " }
        }
        if packages.first?.hasPrefix("kfp==") == true { packages = [] }
        return (packages, PipOptions(indexURLs: indexes, trustedHosts: trusted == indexes ? nil : trusted))
    }

    /// The component's `python` entry, its source at `path`.
    func entry(source path: String) -> YAMLText {
        var entry: [(key: String, value: YAMLText)] = [("source", .string(path)), ("function", .string(function))]
        if let baseImage { entry.append(("base_image", .string(baseImage))) }
        if !packages.isEmpty { entry.append(("packages", .sequence(packages.map(YAMLText.string)))) }
        if !helpers.isEmpty { entry.append(("helpers", .sequence(helpers.map(YAMLText.string)))) }
        if !pip.indexURLs.isEmpty { entry.append(("pip_index_urls", .sequence(pip.indexURLs.map(YAMLText.string)))) }
        if let hosts = pip.trustedHosts { entry.append(("pip_trusted_hosts", .sequence(hosts.map(YAMLText.string)))) }
        return .mapping(entry)
    }
}

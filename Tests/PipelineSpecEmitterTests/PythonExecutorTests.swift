import JSON
import PipelineConfig
@testable import PipelineIR
@testable import PipelineSpecEmitter
import Testing

@Suite struct PythonExecutorTests {
    static let function = PythonFunction(name: "f", source: "def f():\n    pass\n", line: 1, parameters: [])

    /// The install script's pip commands, as kfp writes them.
    static func installScript(_ pip: PipOptions, packages: [String] = ["numpy==2.1.0"]) -> String {
        let container = PythonExecutor.container(PythonFunctionExecutor(function: function, baseImage: nil, packages: packages, pip: pip))
        guard case .array(let command)? = container["command"], case .string(let script) = command[2] else { return "" }
        return script
    }

    @Test func withoutIndexesPipUsesItsDefault() {
        #expect(Self.installScript(PipOptions()).contains("python3 -m pip install --quiet --no-warn-script-location 'numpy==2.1.0'  &&  python3"))
    }

    /// kfp's rules: the first index, the others extra, each trusted unless hosts are given;
    /// an empty list of hosts trusts none.
    @Test(arguments: [
        (PipOptions(indexURLs: ["https://a/simple", "https://b/simple"]),
         "--index-url https://a/simple --extra-index-url https://b/simple --trusted-host https://a/simple --trusted-host https://b/simple 'numpy==2.1.0'"),
        (PipOptions(indexURLs: ["https://a/simple"], trustedHosts: ["a"]), "--index-url https://a/simple --trusted-host a 'numpy==2.1.0'"),
        (PipOptions(indexURLs: ["https://a/simple"], trustedHosts: []), "--index-url https://a/simple 'numpy==2.1.0'"),
    ])
    func indexesAndTrustedHostsPrecedeThePackages(pip: PipOptions, options: String) {
        let script = Self.installScript(pip)
        #expect(script.contains("--no-warn-script-location \(options)"))
        // The KFP SDK comes from the same indexes.
        #expect(script.contains("--no-warn-script-location \(options.replacing("'numpy==2.1.0'", with: "'kfp==2.15.2'"))"))
    }
}

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

@Suite struct ContainerizedPythonExecutorTests {
    static func container(packages: [String]) -> JSONObject {
        PythonExecutor.container(PythonFunctionExecutor(
            function: PythonExecutorTests.function, baseImage: nil, packages: packages, targetImage: "gcr.io/p/f:1"))
    }

    /// The image holds the function and the KFP SDK: the executor runs, nothing embedded.
    @Test func aTargetImageRunsTheExecutorDirectly() {
        let container = Self.container(packages: [])
        #expect(container["image"] == .string("gcr.io/p/f:1"))
        #expect(container["command"] == .array(["python3", "-m", "kfp.dsl.executor_main"]))
    }

    /// Packages are still installed on top of the image, without the KFP SDK.
    @Test func packagesAreInstalledOnTopWithoutKFP() throws {
        guard case .array(let command)? = Self.container(packages: ["numpy==2.1.0"])["command"], command.count == 6,
              case .string(let script) = command[2]
        else {
            Issue.record("expected sh -c SCRIPT, then the executor")
            return
        }
        #expect(script.contains("--no-warn-script-location 'numpy==2.1.0' && \"$0\" \"$@\""))
        #expect(!script.contains("kfp=="))
        #expect(Array(command[3...]) == ["python3", "-m", "kfp.dsl.executor_main"])
    }
}

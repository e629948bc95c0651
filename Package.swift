// swift-tools-version: 6.1
import PackageDescription

// Stages of the compiler, one module each, in pipeline order:
//   YAML (reader) → SchemaCheck → PipelineConfig (decode) → PipelineLowering (lower + checks,
//   into the types of PipelineIR) → PipelineSpecEmitter → PipeSpecCompiler (driver, atomic
//   writer) → pipespec (CLI); PipelineGraph draws the IR for reviewers
// Diagnostics and JSON are shared by all stages.
// scripts/fuzz sets PIPESPEC_FUZZING: the fuzz target then links libFuzzer (every module is
// instrumented by the flags scripts/fuzz passes; only this target may own libFuzzer's main).
let fuzzing = Context.environment["PIPESPEC_FUZZING"] != nil

let package = Package(
    name: "pipespec",
    products: [
        .executable(name: "pipespec", targets: ["pipespec"]),
        .library(name: "PipeSpecCompiler", targets: ["PipeSpecCompiler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // RS256 signatures for service-account keys (CryptoExtras' RSA).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // libyaml, seen only by the YAML module.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libcurl (Debian libcurl4-openssl-dev), seen only by the HTTP module. CCurlShim loads
        // it on the first request, so compiling never pays for loading it, and wraps the
        // variadic setopt.
        .systemLibrary(name: "CCurl"),
        .target(name: "CCurlShim", dependencies: ["CCurl"], linkerSettings: [.linkedLibrary("dl")]),
        // libgit2, loaded by CGitShim the first time a REV:PATH is read (declarations of its
        // own: building needs no libgit2 headers), seen only by GitRevisions.
        .target(name: "CGitShim", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "GitRevisions", dependencies: ["CGitShim"]),
        .target(name: "Diagnostics", dependencies: ["JSON"]),
        .target(name: "JSON"),
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics", "JSON"]),
        .target(name: "SchemaCheck", dependencies: ["YAML", "Diagnostics"]),
        .target(name: "PipelineConfig", dependencies: ["YAML", "Diagnostics"]),
        .target(
            name: "PipelineIR",
            dependencies: ["PipelineConfig", "Diagnostics", "JSON"]
        ),
        .target(
            name: "PipelineLowering",
            dependencies: ["PipelineIR", "PipelineConfig", "YAML", "Diagnostics", "JSON", "EmbeddedResources"]
        ),
        .target(name: "PipelineSpecEmitter", dependencies: ["PipelineIR", "PipelineConfig", "JSON"]),
        // A compiled PipelineSpec back into a pipespec file (`pipespec import`).
        .target(
            name: "PipelineImport",
            dependencies: ["PipelineLowering", "PipelineSpecEmitter", "PipelineIR", "PipelineConfig", "YAML", "Diagnostics", "JSON"]
        ),
        // The task DAG as a picture (Mermaid, DOT), for reviewers.
        .target(name: "PipelineGraph", dependencies: ["PipelineIR", "PipelineConfig", "JSON"]),

        // Deploy: the config, the engine (desired vs live state, plans, apply), and behind the
        // engine's client interfaces the Google Cloud clients, auth and HTTP.
        .target(name: "DeployConfig", dependencies: ["YAML", "Diagnostics", "SchemaCheck", "EmbeddedResources"]),
        .target(name: "HTTP", dependencies: ["CCurl", "CCurlShim"]),
        .target(
            name: "GoogleAuth",
            dependencies: [
                "HTTP", "JSON", "YAML",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DeployEngine",
            dependencies: [
                "DeployConfig", "PipeSpecCompiler", "JSON", "YAML", "Diagnostics",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "GoogleCloud", dependencies: ["DeployEngine", "GoogleAuth", "HTTP", "JSON", "YAML"]),
        .target(
            name: "PipeSpecCompiler",
            dependencies: [
                "YAML", "Diagnostics", "JSON", "SchemaCheck", "PipelineConfig", "PipelineIR", "PipelineLowering",
                "PipelineSpecEmitter", "PipelineGraph", "PipelineImport", "GitRevisions", "EmbeddedResources",
            ]
        ),
        .executableTarget(
            name: "pipespec",
            dependencies: [
                "PipeSpecCompiler", "Diagnostics", "DeployConfig", "DeployEngine", "GoogleCloud", "GoogleAuth", "HTTP", "JSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The JSON schema and the built-in component specs, compiled into the binary so
        // `pipespec` needs no files beside it.
        .target(
            name: "EmbeddedResources",
            dependencies: ["SchemaCheck"],
            exclude: ["builtin", "diagnostics"],
            plugins: ["EmbedResourcesPlugin"]
        ),
        .executableTarget(name: "EmbedResourcesTool", dependencies: ["YAML", "JSON", "Diagnostics", "SchemaCheck"]),
        .plugin(
            name: "EmbedResourcesPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedResourcesTool"]
        ),

        .executableTarget(name: "pipespec-bench", path: "Benchmarks/pipespec-bench"),
        // libFuzzer over the front end (scripts/fuzz); built plainly, it replays inputs.
        .executableTarget(
            name: "pipespec-fuzz",
            dependencies: ["PipeSpecCompiler", "Diagnostics"],
            swiftSettings: fuzzing ? [.define("FUZZING"), .unsafeFlags(["-sanitize=fuzzer,address"])] : [],
            linkerSettings: fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []
        ),

        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Diagnostics", "JSON"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "SchemaCheckTests", dependencies: ["SchemaCheck", "YAML", "Diagnostics", "EmbeddedResources"]),
        .testTarget(name: "PipelineConfigTests", dependencies: ["PipelineConfig", "YAML", "Diagnostics"]),
        .testTarget(name: "PipelineLoweringTests", dependencies: ["PipeSpecCompiler", "PipelineIR", "PipelineLowering", "PipelineSpecEmitter", "PipelineConfig", "Diagnostics"]),
        .testTarget(name: "PipelineSpecEmitterTests", dependencies: ["PipelineSpecEmitter", "PipelineIR", "PipelineConfig", "JSON"]),
        .testTarget(name: "PipelineImportTests", dependencies: ["PipelineImport", "JSON"]),
        .testTarget(name: "PipelineGraphTests", dependencies: ["PipelineGraph", "PipeSpecCompiler", "PipelineIR", "Diagnostics"]),
        .target(name: "DeployTestSupport", dependencies: ["DeployEngine", "JSON"], path: "Tests/DeployTestSupport"),
        .testTarget(name: "DeployConfigTests", dependencies: ["DeployConfig", "Diagnostics"]),
        .testTarget(
            name: "DeployEngineTests",
            dependencies: ["DeployEngine", "DeployConfig", "DeployTestSupport", "PipeSpecCompiler", "Diagnostics", "JSON"]
        ),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(
            name: "GoogleAuthTests",
            dependencies: ["GoogleAuth", "HTTP", "JSON", .product(name: "CryptoExtras", package: "swift-crypto"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "PipeSpecCompilerTests",
            // The CLI tests run the built `pipespec`.
            dependencies: ["PipeSpecCompiler", "Diagnostics", "JSON", "pipespec"],
            exclude: ["BadInputs"]
        ),
    ]
)

extension CompileRequest {
    /// The request for `compile FILE`, with `-o OUT` or `--output OUT` before or after FILE:
    /// the form CI runs once per pipeline, read without ArgumentParser. ArgumentParser builds
    /// its model of a command by reflection at every start, which costs more than compiling the
    /// churn pipeline. Any other argument (another option, `-h` or `--help`, a second file, a
    /// repeated `-o`, `--`, a value that starts with `-`) gives `nil`, for ArgumentParser to
    /// parse, or to explain when wrong. `PlainCompileArgumentsTests` checks that both read the
    /// plain forms alike, and that the others are left to ArgumentParser.
    init?(plainArguments arguments: [String]) {
        var rest = arguments[...]
        guard rest.popFirst() == "compile" else { return nil }
        var file: String?
        var output: String?
        while let argument = rest.popFirst() {
            if argument == "-o" || argument == "--output" {
                guard output == nil, let value = rest.popFirst(), Self.isValue(value) else { return nil }
                output = value
            } else if file == nil, Self.isValue(argument) {
                file = argument
            } else {
                return nil
            }
        }
        guard let file else { return nil }
        self.init(file: file, output: output)
    }

    /// Whether ArgumentParser reads `argument` as a value: it is not an option, or is `-` alone
    /// (standard input or output).
    private static func isValue(_ argument: String) -> Bool {
        argument == "-" || !argument.hasPrefix("-")
    }
}

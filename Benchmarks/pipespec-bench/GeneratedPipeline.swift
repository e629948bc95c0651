/// A pipeline of `taskCount` tasks of one inline container component, in a layered DAG
/// 100 tasks wide: the first layer reads a pipeline parameter, and task i of a later layer
/// reads the output of task i-100 and (from task 101 on) runs after task i-101.
func generatedPipelineYAML(taskCount: Int) -> String {
    var yaml = """
        name: generated-\(taskCount)
        params:
          greeting: {type: string, default: hello}
        components:
          echo:
            container: {image: alpine, command: [echo], args: ["${inputs.message}", "${outputs.result}"]}
            inputs: {message: string}
            outputs: {result: string}
        tasks:

        """
    for i in 0..<taskCount {
        yaml += "  t\(i):\n    uses: echo\n"
        if i < 100 {
            yaml += "    with: {message: \"${params.greeting} \(i)\"}\n"
        } else {
            yaml += "    with: {message: \"${tasks.t\(i - 100).outputs.result} \(i)\"}\n"
            if i > 100 { yaml += "    after: [t\(i - 101)]\n" }
        }
    }
    return yaml
}

/// Inputs of about `bytes` bytes that a front end must survive: a valid pipeline whose one
/// task passes a list param default of short strings, and a file of unknown top-level keys
/// (one error each).
func largeValidPipelineYAML(bytes: Int) -> String {
    var yaml = """
        name: large-default
        params:
          ids:
            type: list
            default:

        """
    var index = 0
    while yaml.utf8.count < bytes - 200 {
        yaml += "              - id-\(index)-abcdefgh\n"
        index += 1
    }
    yaml += """
        components:
          echo:
            container: {image: alpine, command: [echo], args: ["${inputs.ids}"]}
            inputs: {ids: list}
        tasks:
          t: {uses: echo, with: {ids: "${params.ids}"}}

        """
    return yaml
}

func unknownKeysYAML(bytes: Int) -> String {
    var yaml = "name: unknown-keys\ntasks:\n  t: {uses: echo}\n"
    var index = 0
    while yaml.utf8.count < bytes {
        yaml += "key_number_\(index): value\n"
        index += 1
    }
    return yaml
}

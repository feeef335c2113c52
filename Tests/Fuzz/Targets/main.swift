import Foundation

// The fuzzer's entry: `ORDERBOT_FUZZ_TARGET` names the parser this run feeds (one binary for
// every target: building the instrumented modules is the slow part), then libFuzzer's driver
// runs with the command line. SwiftPM links this file's code as the program's `main`, so
// libFuzzer's own `main` is not used; its driver is called instead.

/// libFuzzer's driver (compiler-rt's `FuzzerInterface.h`), linked in by `-sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

guard let target = FuzzTarget.selected else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("set ORDERBOT_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
}
target.prepare()
var argumentCount = CommandLine.argc
var arguments = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argumentCount, &arguments) { bytes, count in
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTarget.selected?.run(data)
    return 0
})

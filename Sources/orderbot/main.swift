import Foundation
import OrderBotCLI

let status = await CommandLineInterface.run(
    Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(status)

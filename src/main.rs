use std::process::ExitCode;

fn main() -> ExitCode {
    flows::cli::main()
}

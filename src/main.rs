use clap::Parser;
use std::process::ExitCode;

/// glibc's malloc gives each thread that allocates an arena of its own, up to eight per
/// core, and keeps what each arena once held. The server's threads (async workers,
/// database connections, grading and hashing) then kept megabytes each; two arenas
/// serve its allocations as fast here. `MALLOC_ARENA_MAX` in the environment still
/// overrides this.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called before any other thread exists; mallopt only sets a parameter.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let cli = rehearse::cli::Cli::parse();
        match rehearse::cli::run(cli).await {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        }
    })
}

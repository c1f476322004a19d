//! `rehearse healthcheck`: asks the server running beside it for `GET /health` and exits
//! 0 when it answers 200, 1 otherwise. Container images have no curl; this lets
//! Docker's HEALTHCHECK use the binary that is already there.
use clap::Args;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use crate::configuration::DEFAULT_BIND;

#[derive(Args, Debug)]
pub struct HealthcheckArgs {
    /// The address the server was told to listen on (`serve --bind`); a wildcard host
    /// (0.0.0.0, [::]) is asked on the loopback address.
    #[arg(long, env = "REHEARSE_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    timeout: u64,
}

pub fn run(args: HealthcheckArgs) -> ExitCode {
    match check(&args.bind, Duration::from_secs(args.timeout.max(1))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("unhealthy: {reason}");
            ExitCode::FAILURE
        }
    }
}

/// The loopback address to reach a server bound to `bind`.
fn target(bind: &str) -> Result<SocketAddr, String> {
    let (host, port) = bind.rsplit_once(':').ok_or_else(|| format!("{bind:?} has no port"))?;
    let port: u16 = port.parse().map_err(|_| format!("{bind:?} has no valid port"))?;
    let host = match host {
        "0.0.0.0" | "" => "127.0.0.1",
        "[::]" => "[::1]",
        other => other,
    };
    format!("{host}:{port}")
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} resolves to no address"))
}

fn check(bind: &str, timeout: Duration) -> Result<(), String> {
    let addr = target(bind)?;
    let mut stream =
        TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    // HTTP/1.0 with Connection: close, so the server ends the response by closing.
    write!(stream, "GET /health HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut head = [0u8; 64];
    let mut read = 0;
    while read < 12 {
        match stream.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(format!("no answer from {addr}: {e}")),
        }
    }
    let status_line = String::from_utf8_lossy(&head[..read]);
    match status_line.split_whitespace().nth(1) {
        Some("200") => Ok(()),
        Some(code) => Err(format!("GET /health answered {code}")),
        None => Err(format!("GET /health got no HTTP answer from {addr}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_are_asked_on_loopback() {
        assert_eq!(target("0.0.0.0:8080").unwrap(), "127.0.0.1:8080".parse().unwrap());
        assert_eq!(target("[::]:9000").unwrap(), "[::1]:9000".parse().unwrap());
        assert_eq!(target("127.0.0.1:81").unwrap(), "127.0.0.1:81".parse().unwrap());
        assert!(target("8080").is_err(), "no port");
        assert!(target("0.0.0.0:http").is_err(), "not a number");
    }
}

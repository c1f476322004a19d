//! The client's network address, for the per-address limits on logins and sign-ups.
//! Directly connected, it is the peer address. Behind a reverse proxy every request comes
//! from the proxy, so with `--trust-forwarded-for` the address is the last entry of
//! `X-Forwarded-For` (the one the proxy itself appended; entries before it are whatever
//! the client claimed).
use std::future::{ready, Ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

/// Whether `X-Forwarded-For` is believed (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProxyPolicy {
    pub trust_forwarded_for: bool,
}

/// The client's address, when it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// The last address in an `X-Forwarded-For` value (`for` lists, comma-separated).
fn last_forwarded(value: &str) -> Option<IpAddr> {
    value.rsplit(',').next().and_then(|last| last.trim().parse().ok())
}

fn client_addr(req: &HttpRequest) -> Option<IpAddr> {
    let trust = req.app_data::<web::Data<ProxyPolicy>>().is_some_and(|p| p.trust_forwarded_for);
    if trust {
        let forwarded = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).last();
        if let Some(address) = forwarded.and_then(last_forwarded) {
            return Some(address);
        }
    }
    req.peer_addr().map(|a| a.ip())
}

impl FromRequest for ClientAddr {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientAddr(client_addr(req))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_forwarded_entry_is_the_one_the_proxy_saw() {
        assert_eq!(last_forwarded("203.0.113.9"), "203.0.113.9".parse().ok());
        assert_eq!(last_forwarded("1.2.3.4, 203.0.113.9"), "203.0.113.9".parse().ok());
        assert_eq!(last_forwarded("1.2.3.4,  2001:db8::1 "), "2001:db8::1".parse().ok());
        assert_eq!(last_forwarded("1.2.3.4, not-an-address"), None);
        assert_eq!(last_forwarded(""), None);
    }
}

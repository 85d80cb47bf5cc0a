//! Stdio framing and decode: arbitrary bytes as a client's stdin.
//!
//! Two paths, as the server has them: rmcp's line transport (bounded line length, BOM and
//! blank-line handling, parse-error replies) wrapped in csf-transport's [`Bounded`] in-flight
//! limit; and each line decoded as rmcp's client JSON-RPC message with serde_json.

use std::io::Cursor;

use csf_transport::stdio::Bounded;
use rmcp::model::{
    ClientJsonRpcMessage, ErrorCode, ErrorData, JsonRpcMessage, ServerJsonRpcMessage,
};
use rmcp::transport::async_rw::AsyncRwTransport;
use rmcp::transport::Transport;
use rmcp::RoleServer;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Small enough that short inputs reach the oversized-line path; the server's own limit
/// (rmcp's default) is exercised too.
const SMALL_MAX_LINE: usize = 256;

pub fn run(data: &[u8]) {
    decode_lines(data);
    crate::runtime::block_on(async {
        drain(data, Some(SMALL_MAX_LINE)).await;
        drain(data, None).await;
    });
}

/// Every line decodes or fails cleanly; a decoded message re-encodes to JSON that decodes again
/// (the server logs and echoes ids it decoded, so they must survive a round trip).
fn decode_lines(data: &[u8]) {
    for line in data.split(|b| *b == b'\n') {
        let line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
        if let Ok(message) = serde_json::from_slice::<ClientJsonRpcMessage>(line) {
            let encoded = serde_json::to_vec(&message).expect("a decoded message re-encodes");
            if let Err(e) = serde_json::from_slice::<ClientJsonRpcMessage>(&encoded) {
                panic!(
                    "re-encoded message does not decode: {e}\n{}",
                    String::from_utf8_lossy(&encoded)
                );
            }
        }
    }
}

/// Reads every message the transport yields, answering each request so the in-flight limit
/// (two here) never stalls; reaching EOF proves the reader neither hangs nor loops.
async fn drain(data: &[u8], max_line: Option<usize>) {
    let mut inner = AsyncRwTransport::<RoleServer, _, _>::new_server(
        Cursor::new(data.to_vec()),
        tokio::io::sink(),
    );
    if let Some(max) = max_line {
        inner = inner.with_max_line_length(max);
    }
    let mut transport = Bounded::new(inner, 2);
    while let Some(message) = transport.receive().await {
        if let JsonRpcMessage::Request(request) = message {
            let reply: ServerJsonRpcMessage = JsonRpcMessage::error(
                ErrorData::new(ErrorCode::METHOD_NOT_FOUND, "fuzz", None),
                Some(request.id),
            );
            // The sink never fails; an error here would be the transport's own bug.
            transport
                .send(reply)
                .await
                .expect("writing to a sink succeeds");
        }
    }
}

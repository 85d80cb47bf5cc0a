//! Image size per architecture, read from an OCI image-layout tar archive (`dist/*.tar`,
//! as `buildah manifest push --all --format oci LIST oci-archive:dist/x.tar` writes it):
//! `index.json` → image index (manifest list) → one manifest per platform → layers.
//!
//! compressed = sum of the layer blobs' sizes as stored (what a registry transfers);
//! uncompressed = the layers' tar streams after gunzip (what lands on disk).

use std::{
    collections::{BTreeMap, HashMap},
    io::{Read, Write},
    path::{Path, PathBuf},
};

use anyhow::{bail, Context as _};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    machine::RunInfo,
    record::{ScenarioResult, TargetResult},
};

/// One platform's image in an archive.
#[derive(Debug, Clone)]
pub struct PlatformImage {
    /// `linux/amd64`, `linux/arm64` (the variant, if any, is in `variant`).
    pub platform: String,
    pub variant: Option<String>,
    pub layers: usize,
    pub compressed_bytes: u64,
    pub uncompressed_bytes: u64,
    /// Manifest + config + layers: everything a pull of this platform downloads.
    pub pull_bytes: u64,
    /// The layer digests in order: two platforms with the same list ship the same binary.
    pub layer_digests: Vec<String>,
}

/// Platforms of one archive whose layers are identical to another platform's: a multi-arch
/// image whose architectures share a binary is wrong for all but one of them.
pub fn shared_layers(images: &[PlatformImage]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, a) in images.iter().enumerate() {
        for b in &images[i + 1..] {
            if a.platform != b.platform
                && !a.layer_digests.is_empty()
                && a.layer_digests == b.layer_digests
            {
                out.push((a.platform.clone(), b.platform.clone()));
            }
        }
    }
    out
}

/// The `image-size` row: every platform of every archive given that exists, with its bytes and
/// layers; two platforms with identical layers are errors. `None` when no archive exists
/// (nothing was built: skipped with a message, not a failure).
pub fn measure(archives: &[PathBuf], profile: &str) -> anyhow::Result<Option<ScenarioResult>> {
    let present: Vec<&PathBuf> = archives.iter().filter(|p| p.is_file()).collect();
    if present.is_empty() {
        let given: Vec<String> = archives.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "image-size: skipped: no OCI archive found ({}); build one with `make image`",
            if given.is_empty() {
                "none given".to_string()
            } else {
                given.join(", ")
            }
        );
        return Ok(None);
    }
    let mut targets = Vec::new();
    for path in present {
        let images = inspect(path)?;
        let shared = shared_layers(&images);
        for img in images {
            let clash: Vec<String> = shared
                .iter()
                .filter(|(a, b)| *a == img.platform || *b == img.platform)
                .map(|(a, b)| {
                    format!("{a} and {b} have identical layers: one binary for two architectures")
                })
                .collect();
            let metrics = BTreeMap::from([
                ("layers".to_string(), img.layers as f64),
                ("compressed_bytes".to_string(), img.compressed_bytes as f64),
                (
                    "uncompressed_bytes".to_string(),
                    img.uncompressed_bytes as f64,
                ),
                ("pull_bytes".to_string(), img.pull_bytes as f64),
            ]);
            let mut conditions = BTreeMap::new();
            if let Some(v) = &img.variant {
                conditions.insert("variant".to_string(), Value::String(v.clone()));
            }
            conditions.insert(
                "archive".to_string(),
                Value::String(path.display().to_string()),
            );
            targets.push(TargetResult {
                target: img.platform,
                command: vec![
                    "csf-loadgen".into(),
                    "image-size".into(),
                    path.display().to_string(),
                ],
                transport: "oci-archive".into(),
                conditions,
                errors: clash.len() as u64,
                error_samples: clash,
                metrics,
                intervals: BTreeMap::new(),
            });
        }
    }
    Ok(Some(ScenarioResult {
        scenario: "image-size".into(),
        kind: "image".into(),
        description: "Image layers and bytes per platform, read from the OCI archives in dist/"
            .into(),
        run: RunInfo::collect(profile),
        targets,
        ratios: BTreeMap::new(),
    }))
}

#[derive(Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Vec<Descriptor>,
}

#[derive(Deserialize)]
struct Manifest {
    config: Descriptor,
    #[serde(default)]
    layers: Vec<Descriptor>,
}

#[derive(Deserialize, Clone)]
struct Descriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: String,
    size: u64,
    platform: Option<Platform>,
}

#[derive(Deserialize, Clone)]
struct Platform {
    architecture: String,
    os: String,
    variant: Option<String>,
}

/// Reads every platform image in the archive at `path`.
pub fn inspect(path: &Path) -> anyhow::Result<Vec<PlatformImage>> {
    let blobs = read_archive(path)?;
    let index_bytes = blobs
        .get("index.json")
        .context("no index.json: not an OCI layout archive")?;
    let index: Index = serde_json::from_slice(index_bytes).context("index.json")?;
    let mut out = Vec::new();
    let mut pending: Vec<Descriptor> = index.manifests;
    let mut depth = 0;
    while !pending.is_empty() {
        depth += 1;
        if depth > 4 {
            bail!("image indexes nested too deeply");
        }
        let mut next = Vec::new();
        for d in pending {
            let bytes = blob(&blobs, &d.digest)?;
            if d.media_type.contains("image.index") || d.media_type.contains("manifest.list") {
                let nested: Index =
                    serde_json::from_slice(bytes).with_context(|| d.digest.clone())?;
                next.extend(nested.manifests);
                continue;
            }
            let m: Manifest = serde_json::from_slice(bytes).with_context(|| d.digest.clone())?;
            out.push(platform_image(&blobs, &d, &m)?);
        }
        pending = next;
    }
    if out.is_empty() {
        bail!("no image manifests in {}", path.display());
    }
    out.sort_by(|a, b| a.platform.cmp(&b.platform));
    Ok(out)
}

fn platform_image(
    blobs: &HashMap<String, Vec<u8>>,
    d: &Descriptor,
    m: &Manifest,
) -> anyhow::Result<PlatformImage> {
    let (platform, variant) = match &d.platform {
        Some(p) => (format!("{}/{}", p.os, p.architecture), p.variant.clone()),
        None => (platform_from_config(blob(blobs, &m.config.digest)?), None),
    };
    let compressed: u64 = m.layers.iter().map(|l| l.size).sum();
    let mut uncompressed = 0u64;
    for l in &m.layers {
        let data = blob(blobs, &l.digest)?;
        uncompressed += if l.media_type.ends_with("gzip") {
            gunzipped_len(data).with_context(|| format!("gunzip {}", l.digest))?
        } else if l.media_type.ends_with("tar") {
            data.len() as u64
        } else {
            bail!(
                "layer media type {} not supported (gzip or plain tar)",
                l.media_type
            );
        };
    }
    Ok(PlatformImage {
        platform,
        variant,
        layers: m.layers.len(),
        compressed_bytes: compressed,
        uncompressed_bytes: uncompressed,
        pull_bytes: d.size + m.config.size + compressed,
        layer_digests: m.layers.iter().map(|l| l.digest.clone()).collect(),
    })
}

fn platform_from_config(config: &[u8]) -> String {
    let v: Value = serde_json::from_slice(config).unwrap_or_default();
    let s = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or("unknown")
            .to_string()
    };
    format!("{}/{}", s("os"), s("architecture"))
}

fn blob<'a>(blobs: &'a HashMap<String, Vec<u8>>, digest: &str) -> anyhow::Result<&'a [u8]> {
    let (algo, hex) = digest.split_once(':').context("digest without algorithm")?;
    blobs
        .get(&format!("blobs/{algo}/{hex}"))
        .map(Vec::as_slice)
        .with_context(|| format!("blob {digest} missing from archive"))
}

fn gunzipped_len(data: &[u8]) -> std::io::Result<u64> {
    struct Count(u64);
    impl Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len() as u64;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    std::io::copy(&mut flate2::read::MultiGzDecoder::new(data), &mut c)?;
    Ok(c.0)
}

/// Loads `index.json` and `blobs/…` from the archive (file names normalised, no `./`).
fn read_archive(path: &Path) -> anyhow::Result<HashMap<String, Vec<u8>>> {
    let file = std::fs::File::open(path).with_context(|| format!("open {}", path.display()))?;
    let mut archive = tar::Archive::new(file);
    let mut blobs = HashMap::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()?
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        if name == "index.json" || name.starts_with("blobs/") {
            let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
            entry.read_to_end(&mut data)?;
            blobs.insert(name, data);
        }
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(data: &[u8]) -> String {
        // A content address only has to be unique inside the test archive.
        format!(
            "{:064x}",
            data.iter()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)))
        )
    }

    fn add(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, data).unwrap();
    }

    #[test]
    fn reads_a_two_platform_archive() {
        let layer_raw = vec![7u8; 10_000];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&layer_raw).unwrap();
        let layer = gz.finish().unwrap();
        let config = br#"{"os":"linux","architecture":"amd64"}"#.to_vec();
        let manifest = |cfg: &str| {
            format!(
                r#"{{"schemaVersion":2,"config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{cfg}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{}","size":{}}}]}}"#,
                config.len(),
                sha(&layer),
                layer.len()
            )
        };
        let m = manifest(&sha(&config));
        let list = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{0}","size":{1},"platform":{{"architecture":"amd64","os":"linux"}}}},{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{0}","size":{1},"platform":{{"architecture":"arm64","os":"linux","variant":"v8"}}}}]}}"#,
            sha(m.as_bytes()),
            m.len()
        );
        let index = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:{}","size":{}}}]}}"#,
            sha(list.as_bytes()),
            list.len()
        );
        let mut b = tar::Builder::new(Vec::new());
        add(&mut b, "index.json", index.as_bytes());
        add(
            &mut b,
            &format!("blobs/sha256/{}", sha(list.as_bytes())),
            list.as_bytes(),
        );
        add(
            &mut b,
            &format!("blobs/sha256/{}", sha(m.as_bytes())),
            m.as_bytes(),
        );
        add(&mut b, &format!("blobs/sha256/{}", sha(&config)), &config);
        add(&mut b, &format!("blobs/sha256/{}", sha(&layer)), &layer);
        let dir = std::env::temp_dir().join(format!("csf-loadgen-oci-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("img.tar");
        std::fs::write(&path, b.into_inner().unwrap()).unwrap();

        let images = inspect(&path).unwrap();
        assert_eq!(images.len(), 2);
        assert_eq!(images[0].platform, "linux/amd64");
        assert_eq!(images[1].platform, "linux/arm64");
        assert_eq!(images[1].variant.as_deref(), Some("v8"));
        assert_eq!(images[0].layers, 1);
        assert_eq!(images[0].compressed_bytes, layer.len() as u64);
        assert_eq!(images[0].uncompressed_bytes, 10_000);
        assert_eq!(
            images[0].pull_bytes,
            (m.len() + config.len() + layer.len()) as u64
        );
        // This fixture reuses one layer for both platforms: flagged.
        assert_eq!(
            shared_layers(&images),
            vec![("linux/amd64".to_string(), "linux/arm64".to_string())]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_non_oci_archive() {
        let mut b = tar::Builder::new(Vec::new());
        add(&mut b, "hello.txt", b"hi");
        let dir = std::env::temp_dir().join(format!("csf-loadgen-notoci-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.tar");
        std::fs::write(&path, b.into_inner().unwrap()).unwrap();
        assert!(inspect(&path)
            .unwrap_err()
            .to_string()
            .contains("index.json"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

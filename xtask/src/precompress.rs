//! The browser bundle precompressed once at build time: beside each script, wasm and style
//! file of `target/site/pkg` a `.br` (brotli at its highest level) and a `.gz` (gzip at its
//! highest level). The server sends the variant the browser accepts, so no request pays for
//! compressing, and a phone downloads the smallest file there is.

use brotli::enc::backward_references::BrotliEncoderParams;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The files the browser loads; not the TypeScript declarations beside them.
const COMPRESSED: [&str; 4] = [".js", ".wasm", ".css", crate::bundle::EXTENSION];

/// Brotli's largest standard window (16 MB): the whole wasm fits in it.
const BROTLI_WINDOW: i32 = 24;

/// Writes the missing or stale compressed variants under `pkg`, and removes those whose file
/// is gone (an older build's hashed names). Returns the bytes of each file: plain, brotli.
pub fn pkg(pkg: &Path) -> Result<Vec<Sizes>, String> {
    let entries = fs::read_dir(pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for path in &names {
        let name = path.to_string_lossy();
        if let Some(source) = name
            .strip_suffix(".br")
            .or_else(|| name.strip_suffix(".gz"))
        {
            if !Path::new(source).exists() {
                fs::remove_file(path).map_err(|e| format!("{name}: {e}"))?;
            }
        }
    }
    let mut sizes = Vec::new();
    for path in names {
        let name = path.to_string_lossy().into_owned();
        if !COMPRESSED.iter().any(|ext| name.ends_with(ext)) {
            continue;
        }
        let brotli = PathBuf::from(format!("{name}.br"));
        let gzip = PathBuf::from(format!("{name}.gz"));
        if is_stale(&path, &brotli) {
            write_brotli(&path, &brotli)?;
        }
        if is_stale(&path, &gzip) {
            write_gzip(&path, &gzip)?;
        }
        sizes.push(Sizes {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            plain: length(&path)?,
            brotli: length(&brotli)?,
        });
    }
    Ok(sizes)
}

/// A file of the bundle and its brotli size.
pub struct Sizes {
    pub name: String,
    pub plain: u64,
    pub brotli: u64,
}

fn length(path: &Path) -> Result<u64, String> {
    fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn is_stale(source: &Path, compressed: &Path) -> bool {
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    match (modified(source), modified(compressed)) {
        (Some(source), Some(compressed)) => compressed < source,
        _ => true,
    }
}

/// Written beside and renamed into place: a server never serves half a file.
fn write_atomically(
    target: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), String> {
    let partial = target.with_extension("partial");
    let result = File::create(&partial).and_then(|file| {
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.flush()
    });
    result
        .and_then(|()| fs::rename(&partial, target))
        .map_err(|e| format!("{}: {e}", target.display()))
}

fn write_brotli(source: &Path, target: &Path) -> Result<(), String> {
    let input = File::open(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let params = params(source)?;
    write_atomically(target, |out| {
        brotli::enc::BrotliCompress(&mut BufReader::new(input), out, &params).map(drop)
    })
}

/// The brotli size of a file at `quality` (0–11), with the window of the precompressed
/// copies, without writing anything.
pub fn brotli_size(source: &Path, quality: i32) -> Result<u64, String> {
    let bytes = fs::read(source).map_err(|e| format!("{}: {e}", source.display()))?;
    brotli_len(&bytes, quality).map_err(|e| format!("{}: {e}", source.display()))
}

/// The brotli size of `bytes` at `quality`, with the window of the precompressed copies.
pub fn brotli_len(bytes: &[u8], quality: i32) -> Result<u64, String> {
    struct Count(u64);
    impl Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let params = BrotliEncoderParams {
        quality,
        lgwin: BROTLI_WINDOW,
        size_hint: bytes.len(),
        ..BrotliEncoderParams::default()
    };
    brotli::enc::BrotliCompress(&mut &bytes[..], &mut count, &params).map_err(|e| e.to_string())?;
    Ok(count.0)
}

fn params(source: &Path) -> Result<BrotliEncoderParams, String> {
    Ok(BrotliEncoderParams {
        quality: 11,
        lgwin: BROTLI_WINDOW,
        size_hint: length(source)? as usize,
        ..BrotliEncoderParams::default()
    })
}

fn write_gzip(source: &Path, target: &Path) -> Result<(), String> {
    let mut input = File::open(source).map_err(|e| format!("{}: {e}", source.display()))?;
    write_atomically(target, |out| {
        let mut encoder = GzEncoder::new(out, Compression::best());
        std::io::copy(&mut input, &mut encoder)?;
        encoder.finish().map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn each_file_gets_its_variants_once_and_old_ones_go() {
        let dir = std::env::temp_dir().join(format!("atrium-precompress-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let script = "export function start() { return 'Atrium'; }\n".repeat(400);
        fs::write(dir.join("atrium.abc.js"), &script).unwrap();
        fs::write(
            dir.join("atrium.abc.d.ts"),
            "declare function start(): string;",
        )
        .unwrap();
        fs::write(dir.join("atrium.old.wasm.br"), b"left over").unwrap();

        let sizes = pkg(&dir).unwrap();
        assert_eq!(sizes.len(), 1);
        assert_eq!(sizes[0].name, "atrium.abc.js");
        assert_eq!(sizes[0].plain, script.len() as u64);
        assert!(sizes[0].brotli < sizes[0].plain / 10);
        let mut unpacked = Vec::new();
        brotli::Decompressor::new(File::open(dir.join("atrium.abc.js.br")).unwrap(), 4096)
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, script.as_bytes());
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(File::open(dir.join("atrium.abc.js.gz")).unwrap())
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, script);
        // Declarations are not sent to browsers; an older build's variant is removed.
        assert!(!dir.join("atrium.abc.d.ts.br").exists());
        assert!(!dir.join("atrium.old.wasm.br").exists());

        // Up to date: nothing is written again.
        let written = fs::metadata(dir.join("atrium.abc.js.br"))
            .unwrap()
            .modified()
            .unwrap();
        pkg(&dir).unwrap();
        let again = fs::metadata(dir.join("atrium.abc.js.br"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(written, again);
        fs::remove_dir_all(&dir).unwrap();
    }
}

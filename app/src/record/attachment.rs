//! Photos attached to a record (a health-education session's sign-in sheet, banner and interaction photos).
//!
//! The phone compresses a photo before saving it (longest side 1280 px, JPEG), so a photo is ~100–300 KB. Each
//! one is its own outbox entry: a photo the server refuses (too large, not an image) is reported on its own and
//! the record it belongs to is kept. Devices keep a photo until it is synced; after that it is read from the
//! server when online.

use crate::check::Check;
use crate::codes::Choice;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Largest photo accepted, after the phone's compression.
pub const MAX_PHOTO_BYTES: usize = 512 * 1024;
/// Most photos on one record.
pub const MAX_PHOTOS: usize = 6;
pub const MIME_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// 存档材料 photo kinds (the standard asks for the banner panorama and the interaction).
pub const PHOTO_KINDS: &[Choice] = &[
    Choice { code: 1, zh: "签到表", en: "Sign-in sheet" },
    Choice { code: 2, zh: "横幅/全景", en: "Banner / panorama" },
    Choice { code: 3, zh: "互动场景", en: "Interaction" },
    Choice { code: 9, zh: "其他", en: "Other" },
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInput {
    pub id: Uuid,
    pub record_id: Uuid,
    pub village_id: String,
    /// `PHOTO_KINDS` code.
    pub kind: u8,
    pub mime: String,
    /// The image, base64 (standard alphabet, padded).
    pub data: String,
}

/// A stored photo without its bytes (these are fetched from `/api/attachments/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub kind: u8,
    pub mime: String,
    pub size: u64,
}

/// Bytes a base64 text decodes to (None when it is not base64).
pub fn decoded_len(b64: &str) -> Option<usize> {
    let b = b64.as_bytes();
    if !b.len().is_multiple_of(4)
        || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/' || *c == b'=')
        || b.iter().rev().skip_while(|c| **c == b'=').any(|c| *c == b'=')
    {
        return None;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    if pad > 2 {
        return None;
    }
    Some(b.len() / 4 * 3 - pad)
}

/// A size for people: "380 KB", "1.2 MB".
pub fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

impl AttachmentInput {
    pub fn size(&self) -> Option<usize> {
        decoded_len(&self.data)
    }

    pub fn meta(&self) -> AttachmentMeta {
        AttachmentMeta { id: self.id, kind: self.kind, mime: self.mime.clone(), size: self.size().unwrap_or(0) as u64 }
    }

    /// Type and size; the server also checks that the bytes are the image they claim to be.
    pub fn validate(&self) -> Result<(), AppError> {
        let mut c = Check::default();
        c.code("kind", PHOTO_KINDS, Some(self.kind), true);
        if !MIME_TYPES.contains(&self.mime.as_str()) {
            c.add("mime", "只能上传 JPEG、PNG 或 WebP 图片", "Only JPEG, PNG or WebP images");
        }
        match self.size() {
            None | Some(0) => c.add("data", "照片内容无效", "The photo could not be read"),
            Some(n) if n > MAX_PHOTO_BYTES => c.add(
                "data",
                format!("照片过大（{}），上限 {}；记录本身已保存", human_size(n), human_size(MAX_PHOTO_BYTES)),
                format!(
                    "The photo is too large ({}, limit {}); the record itself is kept",
                    human_size(n),
                    human_size(MAX_PHOTO_BYTES)
                ),
            ),
            _ => {}
        }
        c.finish()
    }
}

/// Whether decoded bytes start like the image type they claim.
pub fn looks_like(mime: &str, bytes: &[u8]) -> bool {
    match mime {
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        _ => false,
    }
}

//! Taking a photo on the phone: the camera's file is scaled down (longest side 1280 px) and re-encoded as
//! JPEG in the browser before it is stored, so a 4 MB camera picture becomes ~150–300 KB in the outbox. A
//! picture still over the limit is tried again smaller before the doctor is told.

use super::attachment::{decoded_len, MAX_PHOTO_BYTES};
use wasm_bindgen::{JsCast, JsValue};

/// (longest side in px, JPEG quality), tried in order until the photo fits.
const STEPS: [(f64, f64); 3] = [(1280.0, 0.72), (1024.0, 0.6), (800.0, 0.5)];

fn err(e: JsValue) -> String {
    e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string())).unwrap_or_default()
}

/// The photo as (`image/jpeg`, base64), compressed to fit `MAX_PHOTO_BYTES`.
pub async fn compress(file: web_sys::File) -> Result<(String, String), String> {
    let url = web_sys::Url::create_object_url_with_blob(&file).map_err(err)?;
    let img = web_sys::HtmlImageElement::new().map_err(err)?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        img.set_onload(Some(&resolve));
        img.set_onerror(Some(&reject));
    });
    img.set_src(&url);
    let result = wasm_bindgen_futures::JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result.map_err(|_| "无法读取该图片 / The picture could not be read".to_string())?;
    let (w, h) = (img.natural_width() as f64, img.natural_height() as f64);
    if w < 1.0 || h < 1.0 {
        return Err("图片为空 / The picture is empty".into());
    }
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").map_err(err)?.unchecked_into();
    for (side, quality) in STEPS {
        let scale = (side / w.max(h)).min(1.0);
        let (cw, ch) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
        canvas.set_width(cw as u32);
        canvas.set_height(ch as u32);
        let ctx: web_sys::CanvasRenderingContext2d =
            canvas.get_context("2d").map_err(err)?.ok_or("no 2d context")?.unchecked_into();
        // JPEG has no transparency: a white ground instead of black behind transparent PNGs.
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, cw, ch);
        ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, cw, ch).map_err(err)?;
        let data_url =
            canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(quality)).map_err(err)?;
        let b64 = data_url.split_once(',').map(|(_, b)| b.to_string()).unwrap_or_default();
        if decoded_len(&b64).is_some_and(|n| n <= MAX_PHOTO_BYTES) {
            return Ok(("image/jpeg".to_string(), b64));
        }
    }
    Err("照片压缩后仍然过大，请重新拍摄 / Still too large after compression; take it again".into())
}

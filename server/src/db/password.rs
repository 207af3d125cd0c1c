//! Password hashing and checking (Argon2id with the crate's default parameters) with their memory bounded.
//!
//! Each hash fills ~19 MB of Argon2 blocks. Allocated per call, as `Argon2::verify_password` does, the freed
//! blocks stayed with the allocator's per-thread arenas of the blocking pool: logging in 300 phones, 8 at a
//! time, left the server at 1.5 GB resident (`server load`, docs/reliability.md), and an unbounded burst of
//! logins could take 19 MB for each. So at most one hash per core runs at once (more would only queue for
//! the CPU) and their blocks come from a pool that keeps one buffer per running hash.

use app::error::AppError;
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{LazyLock, Mutex, PoisonError};
use tokio::sync::Semaphore;

/// Hashes that may run at once: the machine's cores.
static AT_ONCE: LazyLock<usize> = LazyLock::new(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
static TURNS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(*AT_ONCE));
/// Block buffers between hashes, at most `AT_ONCE`.
static BLOCKS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `password` under a new random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let params = Params::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.decode_b64(&mut salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let output = Output::init_with(len, |out| {
        with_blocks(params.block_count(), |b| {
            argon.hash_password_into_with_memory(password.as_bytes(), salt_raw, out, b)
        })
        .map_err(Into::into)
    })
    .map_err(|e| anyhow::anyhow!("hashing password: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash`, with the parameters written in it; false for a hash
/// that does not parse.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(h) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (h.salt, h.hash) else { return false };
    let version = h.version.map(Version::try_from).transpose().map(Option::unwrap_or_default);
    let (Ok(algorithm), Ok(version), Ok(params)) = (Algorithm::try_from(h.algorithm), version, Params::try_from(&h))
    else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let argon = Argon2::new(algorithm, version, params.clone());
    let computed = Output::init_with(expected.len(), |out| {
        with_blocks(params.block_count(), |b| argon.hash_password_into_with_memory(password.as_bytes(), salt, out, b))
            .map_err(Into::into)
    });
    // `Output`'s equality is constant-time.
    computed.is_ok_and(|c| c == expected)
}

/// `hash_password` off the async threads, in turn.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _turn = TURNS.acquire().await.map_err(|e| AppError::internal("password turn", e))?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::internal("password hash", e))?
        .map_err(|e| AppError::internal("password hash", e))
}

/// `verify_password` off the async threads, in turn.
pub async fn verify(password: String, hash: String) -> Result<bool, AppError> {
    let _turn = TURNS.acquire().await.map_err(|e| AppError::internal("password turn", e))?;
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::internal("password check", e))
}

/// Runs `f` over `n` blocks from the pool (a new buffer when none of that size is free), then returns them.
/// Argon2 writes every block before reading it, so a buffer needs no clearing between hashes.
fn with_blocks<T>(n: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let pooled = BLOCKS.lock().unwrap_or_else(PoisonError::into_inner).pop();
    let mut blocks = pooled.filter(|b| b.len() == n).unwrap_or_else(|| vec![Block::default(); n]);
    let out = f(&mut blocks);
    let mut pool = BLOCKS.lock().unwrap_or_else(PoisonError::into_inner);
    if pool.len() < *AT_ONCE {
        pool.push(blocks);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("cunyi-demo").unwrap();
        assert!(verify_password("cunyi-demo", &h));
        assert!(!verify_password("cunyi-dem0", &h));
        assert!(!verify_password("cunyi-demo", "not a hash"));
        // A second check reuses the pooled blocks and gives the same answers.
        assert!(verify_password("cunyi-demo", &h));
        assert!(!verify_password("cunyi-dem0", &h));
    }

    #[test]
    fn hashes_are_those_of_the_argon2_crate_both_ways() {
        let ours = hash_password("cunyi-demo").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"cunyi-demo", &parsed).is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default().hash_password(b"cunyi-demo", &salt).unwrap().to_string();
        assert!(verify_password("cunyi-demo", &theirs));
        assert!(!verify_password("cunyi-demo ", &theirs));
    }
}

/**
 * The portal's TLS certificate: given files (`--cert/--key`), or a self-signed one made on first run and
 * kept in the repository's key folder (outside the repository folder, beside the signing key), so the
 * fingerprint a user checked once stays the same across restarts.
 */
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { replaceFileDurably } from '../common/durable-file.ts'
import { OpenCatError } from '../common/errors.ts'
import { repositoryKeyDir } from '../store/key-ring.ts'
import type { RepoPaths } from '../store/paths.ts'

/** A certificate and its private key, PEM, with what a user checks it by. */
export interface PortalCertificate {
  readonly cert: string
  readonly key: string
  /** SHA-256 of the certificate's DER bytes, colon-separated hex (as browsers show it). */
  readonly fingerprint: string
  /** Where it came from: files given, the key folder, or made just now into the key folder. */
  readonly origin: 'given' | 'kept' | 'made'
  readonly certFile: string
}

/** File names of the self-signed certificate in the key folder. */
export const SELF_SIGNED_CERT = 'portal-cert.pem'
export const SELF_SIGNED_KEY = 'portal-key.pem'

function fingerprintOf(cert: string, file: string): string {
  try {
    return new X509Certificate(cert).fingerprint256
  } catch (e) {
    throw new OpenCatError('OCAT_ERR_TLS', `${file} is not a PEM certificate`, {}, { cause: e })
  }
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    throw new OpenCatError('OCAT_ERR_TLS', `cannot read the ${what} ${file}`, {}, { cause: e })
  }
}

/** The certificate in the given files. */
export function givenCertificate(certFile: string, keyFile: string): PortalCertificate {
  const cert = readPem(certFile, 'certificate')
  const key = readPem(keyFile, 'private key')
  return { cert, key, fingerprint: fingerprintOf(cert, certFile), origin: 'given', certFile }
}

/**
 * The repository's self-signed certificate, made on first run: valid for localhost, the loopback
 * addresses, this machine's name and `host` (the address the portal binds to).
 */
export async function selfSignedCertificate(paths: RepoPaths, host: string): Promise<PortalCertificate> {
  const dir = repositoryKeyDir(paths)
  const certFile = join(dir, SELF_SIGNED_CERT)
  const keyFile = join(dir, SELF_SIGNED_KEY)
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readPem(certFile, 'certificate')
    return {
      cert,
      key: readPem(keyFile, 'private key'),
      fingerprint: fingerprintOf(cert, certFile),
      origin: 'kept',
      certFile,
    }
  }
  const names = [
    ...new Set(['localhost', hostname(), host].filter((n) => n && isIP(n) === 0 && n !== '0.0.0.0')),
  ]
  const ips = [
    ...new Set(['127.0.0.1', '::1', host].filter((n) => isIP(n) !== 0 && n !== '0.0.0.0' && n !== '::')),
  ]
  const now = Date.now()
  const { generate } = await import('selfsigned')
  const pems = await generate([{ name: 'commonName', value: `OpenCAT portal (${hostname()})` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 825 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.map((value) => ({ type: 2 as const, value })),
          ...ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  })
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // The key first: a certificate without its key is never left behind as if it were whole.
  replaceFileDurably(keyFile, pems.private)
  replaceFileDurably(certFile, pems.cert)
  return {
    cert: pems.cert,
    key: pems.private,
    fingerprint: fingerprintOf(pems.cert, certFile),
    origin: 'made',
    certFile,
  }
}

/**
 * A self-signed serving certificate for `--tls`, valid for localhost, the loopback addresses
 * and the listening host. It is its own CA: the kubeconfig carries it as
 * certificate-authority-data, so clients verify the server without `insecure-skip-tls-verify`.
 *
 * X.509 is encoded by @peculiar/x509 (a maintained library on WebCrypto), imported only when
 * TLS is asked for, so it costs nothing otherwise.
 */
import { isIP } from 'node:net';
import { webcrypto } from 'node:crypto';

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
}

/** Generates a fresh ECDSA P-256 certificate valid for one year. */
export async function selfSignedCertificate(host: string): Promise<ServingCertificate> {
  // @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata polyfill loaded first.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const names: { type: 'dns' | 'ip'; value: string }[] = [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
  ];
  if (host !== '' && host !== '0.0.0.0' && host !== '::' && !names.some((n) => n.value === host)) {
    names.push({ type: isIP(host) === 0 ? 'dns' : 'ip', value: host });
  }
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(8)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '01'),
    name: 'CN=wasm-operator-apiserver',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3600 * 1000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { certPem: `${cert.toString('pem')}\n`, keyPem };
}

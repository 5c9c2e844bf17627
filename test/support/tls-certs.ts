/**
 * Throwaway TLS material for tests, made with Debian's `openssl` at test time (no private
 * key is ever committed): a CA, a server certificate for 127.0.0.1/localhost, and a client
 * certificate for mutual TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM text of every piece. */
export interface TestCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing here: a client trusting only it must refuse the server. */
  otherCaCert: string;
}

/** Makes a fresh set (about 100 ms of openssl). `clientCommonName` becomes the client's user name. */
export function makeTestCertificates(clientCommonName = 'test-user'): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'wo-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const ca = (name: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`));
    ca('test-ca');
    ca('other-ca');
    const leaf = (name: string, subject: string, extensions: string) => {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', subject, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
      writeFileSync(file(`${name}.ext`), extensions);
      openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('test-ca.crt'), '-CAkey', file('test-ca.key'), '-CAcreateserial',
        '-days', '1', '-extfile', file(`${name}.ext`), '-out', file(`${name}.crt`));
    };
    leaf('server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kube.test\nextendedKeyUsage=serverAuth\n');
    leaf('client', `/CN=${clientCommonName}/O=system:masters`, 'extendedKeyUsage=clientAuth\n');
    const read = (name: string) => readFileSync(file(name), 'utf8');
    return {
      caCert: read('test-ca.crt'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
      otherCaCert: read('other-ca.crt'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

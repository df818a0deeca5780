// Helia, the JavaScript IPFS implementation, on the other side of hashos (tests/interop/helia_test).
// Loopback only: Helia nodes built with createHeliaLight (no libp2p, no bootstrap peers, no UPnP),
// given exactly one trustless gateway and no delegated routers, so nothing leaves 127.0.0.1.
//
//   node helia.mjs fetch GATEWAY_URL CID FILE   Helia fetches CID from the gateway, verifies every
//                                               block, and compares the content with FILE.
//                                               Exit 0: equal; 1: Helia refused or failed; 2: differ.
//   node helia.mjs serve FILE [--tamper]        Helia imports FILE into its blockstore (its own
//                                               importer makes the CID) and serves the blockstore as
//                                               a trustless gateway (raw blocks) on a random port.
//                                               Prints "listening on URL CID"; stops on SIGTERM.
//                                               --tamper flips one byte of every block it serves.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { createHeliaLight } from 'helia'
import { withHTTP } from '@helia/http'
import { unixfs } from '@helia/unixfs'
import { CID } from 'multiformats/cid'

const RAW_TYPE = 'application/vnd.ipld.raw'

async function concat (chunks) {
  const parts = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

async function fetchFrom (gateway, cidText, file) {
  // Not from Helia's docs: helia 7.1.15's routing waits forever when it has fallback routers
  // (the gateway) but no other router, so an empty one goes first.
  const nothingElse = { name: 'nothing-else', async * findProviders () {} }
  const helia = withHTTP(createHeliaLight({ routers: [nothingElse] }), {
    delegatedRouters: [],
    recursiveGateways: [gateway],
    allowInsecure: true,
    allowLocal: true
  })
  await helia.start()
  try {
    const content = await concat(unixfs(helia).cat(cidText, { signal: AbortSignal.timeout(30_000) }))
    const expected = await readFile(file)
    if (!content.equals(expected)) {
      console.error(`helia fetched ${content.length} bytes that differ from ${file} (${expected.length} bytes)`)
      return 2
    }
    console.log(`helia fetched and verified ${content.length} bytes of ${cidText}`)
    return 0
  } catch (error) {
    console.error(`helia could not fetch ${cidText}: ${error.message}`)
    return 1
  } finally {
    await helia.stop()
  }
}

async function serve (file, tamper) {
  const helia = createHeliaLight()
  await helia.start()
  const cid = await unixfs(helia).addBytes(await readFile(file))
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1')
    const match = url.pathname.match(/^\/ipfs\/([^/]+)$/)
    const accept = request.headers.accept ?? ''
    const wantsRaw = url.searchParams.get('format') === 'raw' || accept.includes(RAW_TYPE)
    if (!match) return response.writeHead(400).end('not an /ipfs/{cid} path\n')
    // Raw blocks only: a CAR request is answered 406, and fetchers fall back to blocks.
    if (!wantsRaw) return response.writeHead(406).end('only application/vnd.ipld.raw here\n')
    let cid
    try {
      cid = CID.parse(match[1])
    } catch {
      return response.writeHead(400).end('bad CID\n')
    }
    if (!(await helia.blockstore.has(cid))) return response.writeHead(404).end('not here\n')
    const block = await concat(helia.blockstore.get(cid))
    if (tamper && block.length > 0) block[block.length >> 1] ^= 0x01
    response.writeHead(200, { 'Content-Type': RAW_TYPE, 'Content-Length': block.length })
    response.end(block)
  })
  server.listen(0, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port} ${cid}`)
  })
  process.on('SIGTERM', () => {
    server.close()
    server.closeAllConnections()
    helia.stop().then(() => process.exit(0))
  })
}

const [command, ...args] = process.argv.slice(2)
if (command === 'fetch' && args.length === 3) {
  process.exit(await fetchFrom(...args))
} else if (command === 'serve' && (args.length === 1 || (args.length === 2 && args[1] === '--tamper'))) {
  await serve(args[0], args.length === 2)
} else {
  console.error('usage: helia.mjs fetch GATEWAY_URL CID FILE | helia.mjs serve FILE [--tamper]')
  process.exit(64)
}

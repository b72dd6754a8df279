import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The WordPress manual: what a site owner reads and pastes. */
export const wordpressDocsPath = (): string => join(ROOT, 'docs', 'wordpress.md');

function fencedBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm');
  for (const match of markdown.matchAll(fence)) blocks.push(match[1]);
  return blocks;
}

/**
 * The docs' must-use plugins, verbatim: every ```php block whose second line names its file as
 * `// wp-content/mu-plugins/<name>.php`. A site owner pastes exactly these, so the tier loads exactly these.
 */
export function docsMustUsePlugins(): Map<string, string> {
  const plugins = new Map<string, string>();
  for (const block of fencedBlocks(readFileSync(wordpressDocsPath(), 'utf8'), 'php')) {
    const named = /^<\?php\n\/\/ wp-content\/mu-plugins\/([\w-]+\.php)/.exec(block);
    if (named) plugins.set(named[1], block);
  }
  return plugins;
}

/** The docs' env example for the custom route, as KEY -> value (quotes and trailing comments removed). */
export function docsCustomRouteEnv(): Record<string, string> {
  const block = fencedBlocks(readFileSync(wordpressDocsPath(), 'utf8'), 'sh').find((b) =>
    /^WORDPRESS_CONTACTS_PATH=/m.test(b),
  );
  if (!block) throw new Error(`no env example with WORDPRESS_CONTACTS_PATH in ${wordpressDocsPath()}`);
  const env: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^([A-Z0-9_]+)=("[^"]*"|\S*)/.exec(line);
    if (match) env[match[1]] = match[2].replace(/^"|"$/g, '');
  }
  return env;
}

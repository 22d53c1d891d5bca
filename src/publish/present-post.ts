import { siteConfig } from '../config';
import type { Entry } from '../domain/entry';
import { postUrl } from '../views/urls';

/** An own post as the admin API answers it, and as webhook events carry it (src/push/webhook-payloads.ts). */
export function presentPost(env: Env, post: Entry) {
  return {
    id: post.id,
    slug: post.slug,
    url: postUrl(siteConfig(env), post.slug ?? ''),
    title: post.title,
    summary: post.summary,
    content_html: post.contentHtml,
    authors: post.authors.map(({ name, email, url }) => ({ name, email, url })),
    tags: post.tags.map((t) => t.name),
    status: post.status,
    published_at: post.publishedAt.toISOString(),
    updated_at: post.updatedAt.toISOString(),
    enclosures: post.enclosures,
    image: post.image,
    lang: post.language,
  };
}

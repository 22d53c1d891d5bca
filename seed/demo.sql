-- Demo content, from the page the product was conceived from (a blog’s recent-post list and
-- one news article), written as own posts. Loaded by the test suite, and by hand into a deployed
-- database (docs/operations.md: Deploy). `npm run dev` reads the same posts from their web pages instead
-- (seed/site/, through a page source that feeds the site). Ids are fixed so that feed readers see
-- the same ids on every machine.

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:6f1c1d5e-7a51-4c1e-9a0b-0c5f2f0e9a01', 'tips-for-becoming-a-good-boxer', 'Tips for becoming a good boxer',
  '<p>A post from the blog’s recent-post list of November 6, 2020.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 6, 2020. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1604678400000, 1604678400000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:6f1c1d5e-7a51-4c1e-9a0b-0c5f2f0e9a01', 'sport', 'Sport', 0);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:6f1c1d5e-7a51-4c1e-9a0b-0c5f2f0e9a01', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:0d3f1b9e-2f6a-4a43-8d0e-5b8f6a1c2d02', '7-expert-tips-for-making-your-hens-night-a-memorable-one', '7 expert tips for making your hens night a memorable one',
  '<p>A post from the blog’s recent-post list of November 6, 2020.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 6, 2020. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1604674800000, 1604674800000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:0d3f1b9e-2f6a-4a43-8d0e-5b8f6a1c2d02', 'lifestyle', 'Lifestyle', 0);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:0d3f1b9e-2f6a-4a43-8d0e-5b8f6a1c2d02', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:a4e2c7d1-9b3f-4f5e-8c6d-7e1f2a3b4c03', '5-reasons-to-host-your-christmas-party-on-a-cruise-boat', '5 reasons to host your Christmas party on a cruise boat',
  '<p>A post from the blog’s recent-post list of November 6, 2020.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 6, 2020. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1604671200000, 1604671200000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:a4e2c7d1-9b3f-4f5e-8c6d-7e1f2a3b4c03', 'lifestyle', 'Lifestyle', 0);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:a4e2c7d1-9b3f-4f5e-8c6d-7e1f2a3b4c03', 'travel', 'Travel', 1);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:a4e2c7d1-9b3f-4f5e-8c6d-7e1f2a3b4c03', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:5b7d9e1f-3a2c-4d4b-9e8f-1a2b3c4d5e04', 'what-to-do-when-youre-charged-with-a-crime', 'What to do when you’re charged with a crime',
  '<p>A post from the blog’s recent-post list of November 6, 2020.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 6, 2020. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1604667600000, 1604667600000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:5b7d9e1f-3a2c-4d4b-9e8f-1a2b3c4d5e04', 'law', 'Law', 0);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:5b7d9e1f-3a2c-4d4b-9e8f-1a2b3c4d5e04', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:c8e1f2a3-4b5c-4d6e-8f7a-9b0c1d2e3f05', 'should-you-get-one-or-multiple-dogs-heres-all-you-need-to-know', 'Should you get one or multiple dogs? Here’s all you need to know',
  '<p>A post from the blog’s recent-post list of November 3, 2020.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 3, 2020. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1604419200000, 1604419200000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:c8e1f2a3-4b5c-4d6e-8f7a-9b0c1d2e3f05', 'pets', 'Pets', 0);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:c8e1f2a3-4b5c-4d6e-8f7a-9b0c1d2e3f05', 'lifestyle', 'Lifestyle', 1);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:c8e1f2a3-4b5c-4d6e-8f7a-9b0c1d2e3f05', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a06', 'a-guide-how-to-build-your-very-own-magic-mirror', 'A Guide: How to Build Your Very Own Magic Mirror',
  '<p>A post from the blog’s recent-post list of February 14, 2019.</p>',
  '<p>This post appeared in the blog’s recent-post list on February 14, 2019. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1550160000000, 1550160000000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a06', 'tech', 'Tech', 0);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a06', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b07', 'our-top-inspirational-baseball-stars', 'Our Top Inspirational Baseball Stars',
  '<p>A post from the blog’s recent-post list of November 24, 2018.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 24, 2018. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1543075200000, 1543075200000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b07', 'sport', 'Sport', 0);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b07', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c08', 'five-tech-tools-that-will-help-you-turn-your-blog-into-a-business', 'Five Tech Tools That Will Help You Turn Your Blog into a Business',
  '<p>A post from the blog’s recent-post list of November 24, 2018.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 24, 2018. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1543071600000, 1543071600000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c08', 'tech', 'Tech', 0);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c08', 'business', 'Business', 1);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c08', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:7c6b5a49-3827-4165-9f4e-3d2c1b0a9f09', 'how-to-indulge-on-vacation-without-expanding-your-waist', 'How to Indulge on Vacation without Expanding Your Waist',
  '<p>A post from the blog’s recent-post list of November 9, 2018.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 9, 2018. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1541779200000, 1541779200000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:7c6b5a49-3827-4165-9f4e-3d2c1b0a9f09', 'travel', 'Travel', 0);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:7c6b5a49-3827-4165-9f4e-3d2c1b0a9f09', 'lifestyle', 'Lifestyle', 1);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:7c6b5a49-3827-4165-9f4e-3d2c1b0a9f09', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f10', '5-strategies-for-businesses-to-appeal-to-todays-increasingly-mobile-crazed-customers', '5 Strategies for Businesses to Appeal to Today’s Increasingly Mobile-Crazed Customers',
  '<p>A post from the blog’s recent-post list of November 9, 2018.</p>',
  '<p>This post appeared in the blog’s recent-post list on November 9, 2018. The demo keeps its title and date; its body was not part of the page the demo was made from.</p>',
  1541775600000, 1541775600000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f10', 'business', 'Business', 0);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f10', 'tech', 'Tech', 1);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f10', 0, 'blog-team', 'Blog Team', NULL, NULL);

INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at) VALUES ('urn:uuid:e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a11', 'clarity-achieved-with-russian-federation-on-syria-truce-steps-says-kerry', '‘Clarity’ achieved with Russian Federation on Syria truce steps, says Kerry',
  '<p>The United States and Russia failed Friday to reach a final agreement on a US -proposed deal to coordinate their air attacks on terrorist groups in Syria and to stop Russian and Syrian bombing of civilian and rebel-held areas, but said they were close and would continue discussions.</p>',
  '<p>The United States and Russia failed Friday to reach a final agreement on a US -proposed deal to coordinate their air attacks on terrorist groups in Syria and to stop Russian and Syrian bombing of civilian and rebel-held areas, but said they were close and would continue discussions.</p>
<p>“Teams from both sides would try to finalise details in coming days in Geneva”, US Secretary of State John Kerry and Russian Foreign Minister Sergei Lavrov, told a joint news conference in the Swiss city.</p>
<p>“We have completed the vast majority of technical discussions that were focused on making the cessation of hostilities real”, Kerry said.</p>
<p>“Some of the differences in those discussions toward a durable solutions have been narrowed, but as Secretary Kerry said, issues still remain that need to be addressed”.</p>
<p>The talks have been complicated in part by a significant offensive in the southern part of the divided city of Aleppo led by some USA -backed opposition groups that are intermingled with the group formerly known as al-Nusra, an al-Qaeda affiliate in Syria that is also involved in the fight against President Bashar al-Assad. “We do not support an independent Kurd initiative”.</p>
<p>“The talks were aimed at getting a final deal on cooperation in the fight against the Islamic State of Iraq and the Levant (ISIL, also known as ISIS) group, brokering a ceasefire for 48 hours to alleviate the suffering of the people in Aleppo, and to try and get the political process in Syria – the Geneva peace talks – back on track”.</p>
<p>He added, however, that the USA had so far cooperated with “some elements” of the Kurdish forces on a “very limited basis”.</p>
<p>“We understand the sensitivities of our friends in Turkey with respect to this”.</p>
<p>Moscow and Washington will boost their cooperation on resolving the Syrian crisis as they have managed to reduce their mutual mistrust on the conflict in the Arab country, says the Russian foreign minister.</p>
<p>Lavrov also stressed that there can be no possibility of guaranteeing the cessation of combat activities without separating the “opposition” from terrorists, adding that a new round of direct dialogue between the Syrian government and the “opposition” should be launched.</p>
<p>He mentioned that at the time, both of them had announced that some significant technical details needed to be worked through, adding that the teams have spent the last few weeks working through those details in a productive manner.</p>
<p>Assad’s future is not part of the current talks.</p>
<p>Kerry listed two main requirements to ensure a revamped cease-fire holds: unified responses to cease-fire violations by the Damascus regime, and checks on the rising influence of Nusra Front.</p>
<p>He said that Aleppo continues to be besieged and bombarded by the regime and its allies and the regime has today forced the surrender of Daraya after a brutal four years of the siege and continues to take territory in the Damascus suburbs. The Russian foreign minister said that another besieged area was “interested in such an operation with mediation of the Russian Federation”. He did not name the area.</p>
<p>Residents and insurgents in Daraya began to leave the besieged area where civilians have been trapped since 2012 and the United Nations and the International Committee of the Red Cross expressed concern for their safety.</p>',
  1472234400000, 1472234400000);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a11', 'news', 'News', 0);
INSERT INTO entry_tags (entry_id, slug, name, position) VALUES ('urn:uuid:e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a11', 'world', 'World', 1);
INSERT INTO entry_authors (entry_id, position, slug, name, email, url) VALUES ('urn:uuid:e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a11', 0, 'news-desk', 'News Desk', NULL, NULL);

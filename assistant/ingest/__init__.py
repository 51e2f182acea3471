"""Files, web pages and feeds → articles → paragraphs → the index."""

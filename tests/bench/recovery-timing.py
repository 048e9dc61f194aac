#!/usr/bin/env python3
# Times POST /recover for a known and an unknown address against a running server:
#   FLOWS_LISTEN=127.0.0.1:18181 FLOWS_PUBLIC_URL=http://127.0.0.1:18181 FLOWS_RATE_LIMIT_PER_MINUTE=0 \
#     target/release/flows serve &   # in an empty folder (mail goes to ./mail)
#   python3 tests/bench/recovery-timing.py   # run from that same folder
# Registers known@example.com first (reading its code from ./mail), then alternates 300 of each.
import http.cookiejar, urllib.request, urllib.parse, re, time, statistics, glob, email
B='http://127.0.0.1:18181'
def client():
    cj=http.cookiejar.CookieJar()
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k): return None
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj), NoRedirect)
def form(op, path, data):
    try: return op.open(B+path, urllib.parse.urlencode(data).encode())
    except urllib.error.HTTPError as e: return e
op=client(); h=op.open(B+'/register').read().decode(); csrf=re.search(r'name="csrf_token" value="([^"]+)"',h).group(1)
form(op,'/register',{'csrf_token':csrf,'step':'details','action':'continue','given_name':'A','email':'known@example.com','password':'correct horse battery staple','terms':'true'})
time.sleep(1)
code=None
for f in glob.glob('mail/*.eml'):
    m=email.message_from_bytes(open(f,'rb').read())
    for part in m.walk():
        if part.get_content_type()=='text/plain':
            t=part.get_payload(decode=True).decode(); mm=re.search(r'(?m)^\s+(\d{6})\s*$',t); code=mm.group(1) if mm else code
form(op,'/register',{'csrf_token':csrf,'step':'enter_code','action':'verify','otp':code})
def once(login):
    op=client(); h=op.open(B+'/recover').read().decode(); csrf=re.search(r'name="csrf_token" value="([^"]+)"',h).group(1)
    t=time.perf_counter(); r=form(op,'/recover',{'csrf_token':csrf,'step':'identify','action':'continue','login':login}); d=time.perf_counter()-t
    assert r.status==303, r.status
    return d*1000
known=[];unknown=[]
for i in range(300):
    known.append(once('known@example.com')); unknown.append(once(f'nobody{i}@example.com'))
for name,v in (('known',known),('unknown',unknown)):
    print(name, 'n=%d median %.3f ms  mean %.3f  p90 %.3f'%(len(v), statistics.median(v), statistics.mean(v), sorted(v)[270]))
